from django.urls import path

from lms.certificates import badge_views, views

urlpatterns = [
    path("verification/", views.verify_form, name="certificate_verify_form"),
    path("verification/<str:code>/", views.verify, name="certificate_verify"),
    path("verification/<str:code>/badge.jwt", badge_views.public_credential, name="open_badges_public"),
    path("attestations/<id:pk>/telecharger/", views.download, name="certificate_download"),
    path("attestations/<id:pk>/badge.jwt", badge_views.credential_download, name="open_badges_download"),
    path("attestations/<id:pk>/badge.json", badge_views.credential_json, name="open_badges_json"),
    path("badges/cles.json", badge_views.jwks, name="open_badges_jwks"),
    path("badges/organismes/<id:pk>.json", badge_views.issuer_profile, name="open_badges_issuer"),
    path("badges/statut/<id:pk>.jwt", badge_views.status_list, name="open_badges_status_list"),
    path("certificats-realisation/<id:enrolment_id>/", views.realisation_certificate, name="realisation_certificate"),
    path("organisme/attestations/", views.certificate_list, name="certificate_list"),
    path("organisme/attestations/<id:pk>/", views.certificate_detail, name="certificate_detail"),
    path("organisme/attestations/<id:pk>/revoquer/", views.certificate_revoke, name="certificate_revoke"),
    path("organisme/attestations/<id:pk>/reemettre/", views.certificate_reissue, name="certificate_reissue"),
    path("organisme/apprenants/<id:enrolment_id>/attestation/", views.certificate_issue, name="certificate_issue"),
]
