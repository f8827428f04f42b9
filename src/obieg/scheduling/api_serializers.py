"""Serializers of the calendar API: crews (with sync status), events, availability."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from obieg.api.serializers.fast import FastRepresentation
from obieg.scheduling import selectors
from obieg.scheduling.models import (
    CalDAVAccount,
    CalendarEvent,
    Crew,
    Skill,
    validate_weekdays,
)


class SyncStateSerializer(serializers.ModelSerializer):
    """Where the external calendar stands; never the credentials."""

    class Meta:
        model = CalDAVAccount
        fields = [
            "url",
            "display_name",
            "status",
            "last_error",
            "last_attempt_at",
            "last_success_at",
            "retry_at",
        ]
        read_only_fields = fields


class CrewSerializer(FastRepresentation, serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=get_user_model().objects.filter(is_active=True)
    )
    skills = serializers.SlugRelatedField(
        many=True, required=False, slug_field="code", queryset=Skill.objects.all()
    )
    working_weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        help_text=_("Python weekday numbers: 0 is Monday, 6 is Sunday."),
    )
    feed_url = serializers.SerializerMethodField()
    caldav = SyncStateSerializer(read_only=True)
    revision = serializers.IntegerField(
        required=False, help_text=_("Send it back to detect edits made meanwhile.")
    )

    class Meta:
        model = Crew
        fields = [
            "id",
            "name",
            "kind",
            "company",
            "members",
            "skills",
            "working_weekdays",
            "colour",
            "active",
            "revision",
            "feed_url",
            "caldav",
        ]
        read_only_fields = ["id", "feed_url", "caldav"]

    def validate_working_weekdays(self, value):
        from django.core.exceptions import ValidationError

        try:
            validate_weekdays(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_feed_url(self, crew: Crew) -> str | None:
        request = self.context.get("request")
        if request is None or not selectors.can_see_feed(request.user, crew):
            return None
        return request.build_absolute_uri(reverse("scheduling:feed", args=[crew.feed_token]))


class SubjectField(serializers.CharField):
    """A business record's type as "app_label.model" (e.g. "engine.case")."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        app_label, _dot, model = value.partition(".")
        try:
            return ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist as error:
            raise serializers.ValidationError(_("Unknown record type.")) from error

    def to_representation(self, value):
        return f"{value.app_label}.{value.model}" if value else None


class EventSerializer(FastRepresentation, serializers.ModelSerializer):
    crew = serializers.PrimaryKeyRelatedField(
        queryset=Crew.objects.all(), required=False, allow_null=True
    )
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    subject_type = SubjectField(required=False, allow_null=True)
    subject_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    revision = serializers.IntegerField(
        required=False, help_text=_("Send it back to detect edits made meanwhile.")
    )
    synced = serializers.SerializerMethodField()

    class Meta:
        model = CalendarEvent
        fields = [
            "id",
            "crew",
            "user",
            "title",
            "start",
            "end",
            "all_day",
            "rrule",
            "location",
            "description",
            "status",
            "subject_type",
            "subject_id",
            "uid",
            "sequence",
            "revision",
            "synced",
            "last_synced_at",
        ]
        read_only_fields = ["id", "uid", "sequence", "synced", "last_synced_at"]

    def get_synced(self, event: CalendarEvent) -> bool:
        """True when the external calendar holds this version (or none is connected)."""
        return not event.has_unsynced_change

    def validate(self, attrs):
        subject_type = attrs.pop("subject_type", None)
        subject_id = attrs.pop("subject_id", None)
        if subject_type is not None or subject_id is not None:
            if subject_type is None or subject_id is None:
                raise serializers.ValidationError(
                    {"subject_id": [_("Give both the record type and its id.")]}
                )
            model = subject_type.model_class()
            subject = model._default_manager.filter(pk=subject_id).first() if model else None
            if subject is None:
                raise serializers.ValidationError({"subject_id": [_("Not found.")]})
            attrs["subject"] = subject
        return attrs


class AvailabilityQuerySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    skills = serializers.CharField(
        required=False, help_text=_("Comma-separated skill codes the crew must all have.")
    )
    crew = serializers.IntegerField(required=False, min_value=1)
    free_only = serializers.BooleanField(required=False, default=False)


class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    state = serializers.ChoiceField(choices=["free", "busy", "holiday", "day_off"])
    holiday = serializers.CharField(allow_null=True)
    events = serializers.ListField(child=serializers.IntegerField())
    external = serializers.BooleanField(
        help_text=_("An appointment in the crew's own calendar (CalDAV, Google) makes it busy.")
    )


class CrewAvailabilitySerializer(serializers.Serializer):
    crew = serializers.IntegerField(source="crew.pk")
    name = serializers.CharField(source="crew.name")
    free = serializers.BooleanField()
    days = DaySerializer(many=True)
