from django.urls import path

from lms.certificates import views

urlpatterns = [
    path("verification/", views.verify_form, name="certificate_verify_form"),
    path("verification/<str:code>/", views.verify, name="certificate_verify"),
    path("attestations/<int:pk>/telecharger/", views.download, name="certificate_download"),
    path("organisme/attestations/", views.certificate_list, name="certificate_list"),
    path("organisme/attestations/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("organisme/attestations/<int:pk>/revoquer/", views.certificate_revoke, name="certificate_revoke"),
    path("organisme/attestations/<int:pk>/reemettre/", views.certificate_reissue, name="certificate_reissue"),
    path("organisme/apprenants/<int:enrolment_id>/attestation/", views.certificate_issue, name="certificate_issue"),
]
