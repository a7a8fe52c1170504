"""POST /api/v1/sources/ingest/: the ingestion service for curators, over HTTP."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.exceptions import Conflict
from events.api.schema import ErrorSerializer
from ingestion.api.serializers import IngestInputSerializer, IngestReportSerializer
from ingestion.services.articles import ArticleBusy, ArticleRefused
from ingestion.services.ingest import ingest_article


class CanIngest(permissions.BasePermission):
    """Curators only: ingestion adds sources and events."""

    message = "Ingesting articles is for curators: your account may not add sources and events."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.has_perm("events.add_source")
            and user.has_perm("events.add_event")
        )


class IngestView(APIView):
    """Ingest one article: store its source, draft its dated happenings, suggest citations for known ones."""

    permission_classes = [CanIngest]

    @extend_schema(
        operation_id="sources_ingest",
        tags=["sources"],
        request=IngestInputSerializer,
        responses={201: IngestReportSerializer, 200: IngestReportSerializer, 409: ErrorSerializer},
        description="For curators. Stores the article as a source (found again by URL or text, so the same "
        "article is one source), creates a draft event for each distinct dated happening it states (date, "
        "actors, summary and the verbatim sentence as the citation's quote) and, where the record already "
        "holds the happening, a suggested citation for review instead of a duplicate. 201 when anything "
        "was created; 200 for a dry run or an article with nothing new. The drafts and suggestions wait "
        "in the admin's review queue. 409 while the same article is being ingested by another request.",
    )
    def post(self, request: Request) -> Response:
        serializer = IngestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = ingest_article(
                article=serializer.to_article(),
                user=request.user,
                dry_run=serializer.validated_data["dry_run"],
            )
        except ArticleBusy as error:
            raise Conflict(str(error)) from error
        except ArticleRefused as error:
            raise ValidationError({error.field: [str(error)]}) from error
        except DjangoValidationError as error:  # a record the services refused: nothing was written
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from error
        created = report.status == "ingested"
        return Response(report.as_dict(), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
