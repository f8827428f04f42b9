"""Static files: hashed names (cached for ever by browsers) and gzip copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage with gzip only.

    Brotli at its default quality took ~65 s of `collectstatic` (bpmn-js, Swagger
    UI, Bootstrap) on every `make run` against ~7 s for gzip, to save a few
    per cent more on files a browser fetches once.
    """

    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
