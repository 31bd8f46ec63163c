from django.urls import path

from lms.certificates import views

urlpatterns = [
    path("verification/", views.verify_form, name="certificate_verify_form"),
    path("verification/<str:code>/", views.verify, name="certificate_verify"),
    path("attestations/<id:pk>/telecharger/", views.download, name="certificate_download"),
    path("certificats-realisation/<id:enrolment_id>/", views.realisation_certificate, name="realisation_certificate"),
    path("organisme/attestations/", views.certificate_list, name="certificate_list"),
    path("organisme/attestations/<id:pk>/", views.certificate_detail, name="certificate_detail"),
    path("organisme/attestations/<id:pk>/revoquer/", views.certificate_revoke, name="certificate_revoke"),
    path("organisme/attestations/<id:pk>/reemettre/", views.certificate_reissue, name="certificate_reissue"),
    path("organisme/apprenants/<id:enrolment_id>/attestation/", views.certificate_issue, name="certificate_issue"),
]
