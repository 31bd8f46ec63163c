"""The welcome link of an account made for its owner (lms.accounts.welcome): choose a password, and be in."""
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from lms.accounts import welcome as welcome_links
from lms.core.site import base_url

RENEWAL_INTERVAL_SECONDS = 600  # an expired link asks for a new one at most this often (the owner's inbox)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def welcome(request, token):
    """GET: the form to choose a password; POST: the password set, the address confirmed, the person logged in and
    sent to their track. A used, forged or expired link gets a page that says so (410), with a way forward."""
    link = welcome_links.WelcomeLink(token)
    if link.user is None:
        return render(request, "accounts/welcome_invalid.html",
                      {"expired": link.renewable_user is not None, "token": token}, status=410)
    form = SetPasswordForm(link.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            confirm_address(user)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, _("Your password is saved and your address confirmed. Welcome!"))
        return redirect(settings.LMS_WELCOME_REDIRECT_URL)
    return render(request, "accounts/welcome.html", {"form": form, "email": link.user.email,
                                                     "days": welcome_links.link_days()},
                  status=400 if form.is_bound else 200)


def confirm_address(user):
    """The link reached the person through their address: it is confirmed (no second verification email)."""
    updated = EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    if not updated:
        EmailAddress.objects.create(user=user, email=user.email, verified=True,
                                    primary=not EmailAddress.objects.filter(user=user, primary=True).exists())


@require_POST
def welcome_renew(request, token):
    """An expired, unused link asks for a new one, sent to the account's own address (at most every 10 minutes)."""
    link = welcome_links.WelcomeLink(token)
    user = link.renewable_user
    if user is None:
        return render(request, "accounts/welcome_invalid.html", {"expired": False, "token": ""}, status=410)
    if cache.add(f"welcome-renewal:{user.pk}", 1, RENEWAL_INTERVAL_SECONDS):
        context = {"url": welcome_links.welcome_url(user, base_url(request)), "days": welcome_links.link_days(),
                   "site_name": settings.LMS_SITE_NAME}
        message = render_to_string("accounts/email/welcome_renewed.txt", context)
        send_mail(subject=_("[%(site)s] Your new link to choose your password") % {"site": settings.LMS_SITE_NAME},
                  message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[user.email])
    return render(request, "accounts/welcome_renewed.html", {})
