"""`GET /api/me/`: who the token or session belongs to, and their roles."""

from __future__ import annotations

from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from obieg.api.serializers.users import MeSerializer


class MeView(GenericAPIView):
    serializer_class = MeSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)
