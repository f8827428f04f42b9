"""`POST /pv/api/leads/`: the public JSON endpoint other systems send PV leads to.

It takes the fields of the public form without the browser's spam guards (no
honeypot or signed render time: a system has no page to fill in), keeps the
per-IP rate limit the form has (the same counter) and answers 429 over it,
and creates the lead and starts its case through the form's `submit_lead`.
No authentication and so no CSRF: there is no session or cookie to forge.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from obieg.crm.models import Lead
from obieg.solutions.pv_installation.public_lead import over_limit, submit_lead


class PVLeadSerializer(serializers.Serializer):
    """The public form's fields; an e-mail address or a phone number is needed."""

    contact_name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.RegexField(r"^\+?[0-9 ()-]{7,20}$", required=False, allow_blank=True)
    postal_code = serializers.RegexField(r"^\d{2}-\d{3}$", help_text="NN-NNN")
    city = serializers.CharField(max_length=100)
    site_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    consent = serializers.BooleanField(help_text="Must be true: agreed to be contacted.")

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(_("This field is required."), code="required")
        return value

    def validate(self, attrs):
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError(_("Give an e-mail address or a phone number."))
        return attrs


class PVLeadCreatedSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="The PV project started for the lead.")
    lead = serializers.IntegerField(help_text="The lead created.")
    status = serializers.ChoiceField(choices=Lead.Status.choices, help_text="The lead's status.")


ErrorSerializer = inline_serializer(
    "PVLeadError",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            required=False,
            help_text="Messages per field; `non_field_errors` for the whole request.",
        ),
    },
)


class PVLeadCreateView(APIView):
    authentication_classes = []  # anonymous: no session, so no CSRF to check
    permission_classes = [AllowAny]
    throttle_classes = []  # the per-IP limit below is shared with the web form
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="pv_leads_create",
        tags=["pv"],
        summary="Send a PV installation lead",
        description=(
            "Public, no authentication. Creates a lead (source `api`) and starts its "
            "PV case. Each client address has a limit of requests per period "
            "(setting `PV_LEAD_RATE_LIMIT`); over it the answer is 429."
        ),
        request=PVLeadSerializer,
        responses={
            201: PVLeadCreatedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid data; errors per field."),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
        },
        examples=[
            OpenApiExample(
                "Lead",
                request_only=True,
                value={
                    "contact_name": "Ewa Nowak",
                    "email": "ewa@example.com",
                    "postal_code": "31-100",
                    "city": "Kraków",
                    "consent": True,
                },
            )
        ],
    )
    def post(self, request):
        if over_limit(request):
            return Response(
                {"detail": str(_("Too many requests."))}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        serializer = PVLeadSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(
                {
                    "detail": str(_("Please correct the marked fields.")),
                    "errors": serializer.errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        project = submit_lead(serializer.validated_data, source=Lead.Source.API, request=request)
        project.lead.refresh_from_db(fields=["status"])  # the conversion saved another copy
        body = {"project": project.pk, "lead": project.lead_id, "status": project.lead.status}
        return Response(PVLeadCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


lead_api = PVLeadCreateView.as_view()
