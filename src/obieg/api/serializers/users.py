"""The signed-in user, with the roles that decide what they see."""

from __future__ import annotations

from rest_framework import serializers

from obieg.core import access
from obieg.core.models import User


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)
    roles = serializers.SerializerMethodField()
    is_admin = serializers.SerializerMethodField()
    managed_teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "department",
            "team",
            "managed_teams",
            "roles",
            "is_admin",
        ]
        read_only_fields = fields

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)

    def get_is_admin(self, user: User) -> bool:
        return access.is_admin(user)
