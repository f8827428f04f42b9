"""The customer's signature, drawn with a finger on the installer's phone, as a PNG.

The page draws on a canvas (`static/pv_installation/signature_pad.js`, plain
JavaScript served with the site) and sends the picture as a `data:` URL in a
hidden field; without JavaScript nothing can be drawn and the field says
so. The server never trusts the browser: the text must be a PNG of sensible
size that Pillow can read, with some ink on it, before it goes into the
case data and from there into the completion protocol.
"""

from __future__ import annotations

import base64
import binascii
import io

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, UnidentifiedImageError

PREFIX = "data:image/png;base64,"
MAX_BYTES = 300_000  # a signature pad's PNG is 5-40 kB; a photo is not a signature
MAX_SIDE = 3000
# Ink: pixels clearly darker than the paper and not transparent.
_INK_LEVEL = 160
_MIN_INK_PIXELS = 30


def png_of(value: str) -> bytes:
    """The PNG bytes of a signature's `data:` URL (assumed checked)."""
    return base64.b64decode(value[len(PREFIX) :])


def check(value: str) -> str:
    """The signature as given, if it is a real drawing; else a ValidationError."""
    if not value.startswith(PREFIX):
        raise forms.ValidationError(_("Ask the customer to sign in the box."), code="missing")
    if len(value) > len(PREFIX) + MAX_BYTES * 4 // 3 + 4:
        raise forms.ValidationError(_("The signature is too large."), code="too_large")
    try:
        data = base64.b64decode(value[len(PREFIX) :], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or max(image.size) > MAX_SIDE:
                raise ValueError(image.format)
            image.load()
            ink = _ink_pixels(image)
    except (binascii.Error, ValueError, OSError, UnidentifiedImageError) as error:
        raise forms.ValidationError(
            _("The signature could not be read; clear it and sign again."), code="invalid"
        ) from error
    if ink < _MIN_INK_PIXELS:
        raise forms.ValidationError(_("Ask the customer to sign in the box."), code="empty")
    return value


def _ink_pixels(image: Image.Image) -> int:
    """How many pixels carry ink: dark and opaque (a blank pad has none)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, "white")
    flattened = Image.alpha_composite(background, rgba).convert("L")
    histogram = flattened.histogram()
    return sum(histogram[:_INK_LEVEL])


class SignatureWidget(forms.Widget):
    """A canvas to sign on, writing into a hidden input; plain script, no inline code."""

    template_name = "pv_installation/widgets/signature.html"

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")

    def id_for_label(self, id_):
        return f"{id_}_pad" if id_ else id_


class SignatureField(forms.CharField):
    widget = SignatureWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return check(value) if value else value


def sample() -> str:
    """A small drawn signature, for the demo and for tests that sign on someone's behalf."""
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    pen = ImageDraw.Draw(image)
    pen.line([(20, 70), (60, 20), (90, 75), (130, 25), (170, 70), (280, 40)], fill="black", width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")
