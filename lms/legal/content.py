"""The default content of the legal pages, and the one function that creates the missing ones.

The content is French data, not interface text: platform admins edit it in Wagtail. What only the operator
of the platform knows (company, host, contacts) is left as a marked placeholder, "[À compléter par
l'exploitant : ...]", for them to fill in before opening the service.

`legal_pages_ensure` is called by the data migration (with the migration's historical models, which have
neither treebeard's nor Wagtail's methods: the tree is written by hand, as Wagtail's own initial migration
does), by `seed_demo`, and by the views when a page is missing.
"""
import re

from django.apps import apps as global_apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from lms.core.dates import legal_today
from lms.core.display import long_date
from lms.legal.models import LegalPage

TODO = "<b>[À compléter par l'exploitant : {}]</b>"

PRIVACY_BODY = f"""
<p>Parcours AM est la plateforme en ligne de formation et de certification des assistant·e·s médicaux·ales.
Cette page explique quelles données personnelles la plateforme traite, dans quel but, qui les reçoit, combien de
temps elles sont conservées et comment exercer vos droits, conformément au règlement général sur la protection
des données (RGPD, articles 13 et 14) et à la loi « Informatique et libertés » du 6 janvier 1978.</p>

<h2>Responsables du traitement</h2>
<ul>
<li>L'exploitant de la plateforme, {TODO.format("raison sociale et adresse, identiques aux mentions légales")},
est responsable des traitements nécessaires aux comptes, à la sécurité et au fonctionnement de la plateforme.</li>
<li>Chaque organisme de formation est responsable des traitements liés aux formations qu'il dispense :
inscriptions, suivi, évaluations, attestations et preuves de formation. L'exploitant agit alors pour son compte,
en qualité de sous-traitant (RGPD, article 28).</li>
</ul>

<h2>Données traitées</h2>
<ul>
<li><b>Identité et compte</b> : nom, prénom, adresse électronique, mot de passe (conservé sous forme d'empreinte,
jamais en clair), facteurs de double authentification s'ils sont activés.</li>
<li><b>Situation professionnelle</b> : profil d'entrée (secrétaire médical·e, aide-soignant·e, auxiliaire de
puériculture, infirmier·ère ou autre profil), cabinet employeur, date de recrutement, temps de travail, date de
fin du contrat le cas échéant.</li>
<li><b>Formation</b> : inscriptions et sessions, leçons terminées, tentatives et réponses aux quiz, résultats,
attestations de fin de formation et leur code de vérification.</li>
<li><b>Traces d'apprentissage et assiduité</b> : chaque événement de formation (inscription, leçon consultée,
question répondue, quiz réussi ou échoué, module ou parcours terminé, attestation obtenue) est enregistré sous la
forme d'une trace xAPI ; les dates de connexion et le temps d'activité mesuré pendant la lecture des leçons forment
le relevé de connexion que les financeurs peuvent demander.</li>
<li><b>Formations suivies ailleurs</b> : organisme, date et justificatif déclarés par votre employeur.</li>
<li><b>Données techniques</b> : cookies de session et de sécurité (voir plus bas), adresse IP utilisée de façon
temporaire pour limiter les tentatives de connexion, journaux techniques du serveur.</li>
</ul>
<p>La plateforme n'est pas destinée à recevoir des données de santé de patients : n'en saisissez aucune ; les cas
pratiques des formations doivent rester fictifs ou anonymisés.</p>

<h2>Finalités et bases légales</h2>
<ul>
<li>Gérer votre compte et sécuriser l'accès à la plateforme — exécution des conditions d'utilisation et intérêt
légitime de l'exploitant à protéger le service.</li>
<li>Organiser et suivre votre formation, évaluer vos acquis et délivrer l'attestation de fin de formation —
exécution du contrat de formation et obligation légale (Code du travail, article L6353-1).</li>
<li>Suivre les échéances liées à l'emploi d'assistant·e médical·e (commencer une formation dans les 2 ans et obtenir
la qualification dans les 3 ans suivant le recrutement, selon l'avenant 7 à la convention médicale de 2019) et
prévenir l'employeur et l'assistant·e avant chaque échéance — intérêt légitime de l'un et de l'autre à conserver
l'aide financière attachée au poste.</li>
<li>Conserver les preuves de la formation (résultats, traces, relevés de connexion) que les financeurs et les
services de contrôle peuvent demander — obligation légale de l'organisme de formation.</li>
<li>Permettre à un tiers de vérifier l'authenticité d'une attestation grâce à son code — intérêt légitime du
titulaire et de l'organisme.</li>
</ul>

<h2>Destinataires</h2>
<ul>
<li>L'organisme de formation auprès duquel vous êtes inscrit·e (ses responsables et formateurs).</li>
<li>Votre employeur (le médecin ou le cabinet qui vous emploie) : votre avancement, vos échéances et vos
attestations. Un ancien employeur ne voit que ce qui précède la fin de votre contrat chez lui.</li>
<li>Toute personne à qui vous communiquez le code de votre attestation : elle peut vérifier que l'attestation est
valide (nom, parcours, organisme, date).</li>
<li>Les financeurs et les services de contrôle de la formation professionnelle, sur demande, dans le cadre de leurs
missions.</li>
<li>Les sous-traitants techniques de l'exploitant : l'hébergeur (voir les mentions légales), le service d'envoi des
courriels et, si votre organisme de formation l'a configuré, son entrepôt de traces d'apprentissage (LRS).</li>
</ul>
<p>Aucune donnée n'est vendue ni utilisée à des fins publicitaires. {TODO.format(
    "lieu d'hébergement des données ; si des données sont transférées hors de l'Union européenne, le préciser ici "
    "avec les garanties appliquées")}</p>

<h2>Durées de conservation</h2>
<p>Les durées de conservation sont appliquées chaque jour par la plateforme : ce qui a atteint sa durée est
supprimé, fichiers compris. Le tableau « Durées de conservation appliquées », en bas de cette page, donne pour
chaque catégorie de données la durée en vigueur et son point de départ.</p>
<ul>
<li>Compte : tant qu'il est utilisé ; vous pouvez le supprimer à tout moment. Un compte inutilisé est supprimé
après la durée indiquée dans le tableau, un courriel vous prévenant auparavant.</li>
<li>Preuves de formation (inscriptions, tentatives, résultats, attestations, traces, relevés de connexion) : elles
restent conservées après la suppression du compte, avec votre nom et la date de suppression, jusqu'à la fin de
leur durée (10 ans pour une formation cofinancée par des fonds européens, si votre organisme l'a configuré),
puis sont supprimées.</li>
<li>Journaux techniques du serveur : {TODO.format("durée, de 6 mois à 1 an selon la recommandation de la CNIL")}.</li>
</ul>

<h2>Vos droits</h2>
<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation, d'opposition et de portabilité
de vos données, ainsi que du droit de définir des directives sur leur sort après votre décès.</p>
<ul>
<li>Depuis votre espace, la page <a href="/espace/mes-donnees/">Mes données</a> vous permet de télécharger toutes
vos données (fichier JSON) et de supprimer votre compte ; les preuves que la loi impose de conserver sont alors
gardées avec votre nom jusqu'à la fin de leur durée de conservation.</li>
<li>Pour vos données de formation, adressez-vous à votre organisme de formation ; pour toute autre demande, au
délégué à la protection des données de l'exploitant : {TODO.format("adresse électronique du délégué à la protection "
                                                                   "des données")}. Une réponse vous est apportée
dans un délai d'un mois.</li>
<li>Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL
(<a href="https://www.cnil.fr/fr/plaintes">www.cnil.fr/fr/plaintes</a>, 3 place de Fontenoy, TSA 80715, 75334 Paris
Cedex 07).</li>
</ul>

<h2>Cookies</h2>
<p>La plateforme ne dépose que des cookies strictement nécessaires à son fonctionnement, exemptés de consentement
(loi « Informatique et libertés », article 82) : le cookie de session qui vous garde connecté·e, le cookie de
protection contre la falsification de requêtes (CSRF), celui qui retient la langue choisie et, le temps d'un
affichage, celui des messages de confirmation. Aucun cookie de mesure d'audience ni de publicité n'est utilisé.</p>
<p>Certaines leçons intègrent des vidéos hébergées par des services tiers (YouTube, Vimeo, Dailymotion). Leur
lecteur n'est chargé que si vous le demandez (bouton « Charger la vidéo ») : ce service peut alors déposer des
cookies, selon ses propres politiques. Sans ce choix, rien n'est demandé à ce service. Chaque vidéo est
accompagnée d'une transcription textuelle et d'un lien pour la regarder sur le site de son hébergeur.</p>

<h2>Sécurité</h2>
<p>Les échanges sont chiffrés (HTTPS), les mots de passe ne sont jamais conservés en clair, le personnel des
organismes de formation se connecte avec une double authentification et chacun ne voit que les données de sa propre
organisation.</p>
"""

ACCESSIBILITY_BODY = """
<p>{operator} s'engage à rendre la plateforme Parcours AM accessible, conformément à l'article 47 de la loi
n° 2005-102 du 11 février 2005 pour l'égalité des droits et des chances, la participation et la citoyenneté des
personnes handicapées.</p>
<p>{strategy}</p>
<p>Cette déclaration d'accessibilité s'applique à la plateforme Parcours AM ({site}).</p>

<h2>État de conformité</h2>
<p>La plateforme Parcours AM est <b>non conforme</b> avec le référentiel général d'amélioration de l'accessibilité
(RGAA), version 4.1 : aucun audit de conformité n'a encore été réalisé, et le RGAA impose de déclarer non conforme un
service qui n'a pas été audité. Les vérifications déjà menées sont décrites ci-dessous.</p>

<h2>Résultats des tests</h2>
<p>Aucun audit de conformité au RGAA n'a encore été réalisé ; le taux de critères respectés n'est donc pas
établi. {audit}</p>
<p>En attendant, chaque version de la plateforme est vérifiée automatiquement : les pages principales (accueil,
connexion, espace personnel, leçon, quiz, tableau de bord de l'employeur, vérification d'une attestation) sont
analysées avec l'outil axe-core, qui ne doit relever aucune erreur grave, et un parcours de connexion et de
navigation est réalisé au clavier seul. Ces tests automatisés ne couvrent qu'une partie des critères du RGAA et
ne remplacent pas un audit.</p>

<h2>Contenus non accessibles</h2>
<h3>Non-conformités</h3>
<p>La liste des non-conformités sera établie par l'audit. Les défauts suivants sont déjà connus :</p>
<ul>
<li>les attestations de fin de formation et les relevés de connexion au format PDF ne sont pas des documents
balisés ; les informations de l'attestation (titulaire, parcours, organisme, date, validité) restent consultables
sur sa page de vérification ;</li>
<li>un quiz limité dans le temps ne permet pas à la personne de prolonger le temps imparti (critère 13.1) ; un
organisme de formation peut proposer le même quiz sans limite de temps ;</li>
<li>l'interface de rédaction des contenus, utilisée par les organismes de formation, est celle du logiciel libre
Wagtail ; son accessibilité n'a pas été évaluée sur cette plateforme.</li>
</ul>
<h3>Dérogations pour charge disproportionnée</h3>
<p>Aucune.</p>
<h3>Contenus non soumis à l'obligation d'accessibilité</h3>
<ul>
<li>Les lecteurs des vidéos intégrées à certaines leçons, fournis par des services tiers (YouTube, Vimeo,
Dailymotion) qui ne sont pas sous le contrôle de l'exploitant. Chaque vidéo est accompagnée d'une transcription
textuelle obligatoire.</li>
</ul>

<h2>Établissement de cette déclaration d'accessibilité</h2>
<p>Cette déclaration a été établie le {date}. Elle sera mise à jour après l'audit de conformité.</p>
<h3>Technologies utilisées pour la réalisation de la plateforme</h3>
<ul>
<li>HTML5</li>
<li>CSS</li>
<li>JavaScript, en amélioration progressive : chaque page fonctionne sans JavaScript</li>
<li>WAI-ARIA</li>
<li>PDF, pour les attestations et les relevés de connexion</li>
</ul>
<h3>Environnement de test</h3>
<p>Les vérifications automatisées sont réalisées avec le navigateur Chromium piloté par Playwright. {environment}</p>
<h3>Outils pour évaluer l'accessibilité</h3>
<ul>
<li>axe-core (tests automatisés)</li>
<li>Navigation au clavier seul</li>
</ul>
<h3>Pages de la plateforme ayant fait l'objet de la vérification de conformité</h3>
<ul>
<li>Accueil</li>
<li>Connexion</li>
<li>Espace personnel</li>
<li>Leçon d'un parcours</li>
<li>Quiz</li>
<li>Tableau de bord de l'employeur</li>
<li>Vérification d'une attestation</li>
</ul>

<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable de la
plateforme pour être orienté·e vers une alternative accessible ou obtenir le contenu sous une autre forme :</p>
<ul>
<li>écrire à {contact} ;</li>
<li>contacter votre organisme de formation, qui peut vous fournir le contenu d'une formation sous une autre
forme.</li>
</ul>

<h2>Voies de recours</h2>
<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable de la plateforme un défaut
d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services et vous n'avez pas obtenu de réponse
satisfaisante.</p>
<ul>
<li>Écrire un message au Défenseur des droits
(<a href="https://formulaire.defenseurdesdroits.fr/">formulaire.defenseurdesdroits.fr</a>)</li>
<li>Contacter le délégué du Défenseur des droits dans votre région
(<a href="https://www.defenseurdesdroits.fr/saisir/delegues">www.defenseurdesdroits.fr/saisir/delegues</a>)</li>
<li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse
71120, 75342 Paris CEDEX 07</li>
</ul>
"""

LEGAL_NOTICE_BODY = f"""
<p>Mentions prévues par l'article 6 de la loi n° 2004-575 du 21 juin 2004 pour la confiance dans l'économie
numérique (LCEN).</p>

<h2>Éditeur de la plateforme</h2>
<ul>
<li>Raison sociale : {TODO.format("nom de la société ou de l'organisme qui exploite la plateforme")}</li>
<li>Forme juridique et capital social : {TODO.format("par exemple SAS au capital de … €")}</li>
<li>Siège social : {TODO.format("adresse postale")}</li>
<li>Immatriculation : {TODO.format("RCS et numéro SIREN")}</li>
<li>Numéro de TVA intracommunautaire : {TODO.format("numéro de TVA")}</li>
<li>Téléphone : {TODO.format("numéro de téléphone")}</li>
<li>Courriel : {TODO.format("adresse électronique de contact")}</li>
<li>Déclaration d'activité d'organisme de formation, si l'éditeur dispense lui-même des formations :
{TODO.format("numéro de déclaration d'activité (NDA) et région")}</li>
</ul>

<h2>Directeur·rice de la publication</h2>
<p>{TODO.format("prénom, nom et qualité du directeur ou de la directrice de la publication")}</p>

<h2>Hébergement</h2>
<ul>
<li>Hébergeur : {TODO.format("nom ou raison sociale de l'hébergeur")}</li>
<li>Adresse : {TODO.format("adresse postale de l'hébergeur")}</li>
<li>Téléphone : {TODO.format("numéro de téléphone de l'hébergeur")}</li>
</ul>

<h2>Organismes de formation</h2>
<p>Les parcours, leçons et évaluations sont publiés sous la responsabilité de l'organisme de formation qui les
propose, désigné sur ses pages et sur les attestations qu'il délivre avec son numéro de déclaration d'activité.</p>

<h2>Données personnelles</h2>
<p>Les traitements de données personnelles sont décrits sur la page <a href="/donnees-personnelles/">Données
personnelles</a>. Délégué à la protection des données : {TODO.format("nom ou service et adresse électronique")}.</p>

<h2>Accessibilité</h2>
<p>L'état de conformité de la plateforme au RGAA est présenté dans la
<a href="/accessibilite/">déclaration d'accessibilité</a>.</p>

<h2>Propriété intellectuelle</h2>
<p>Les contenus de formation (textes, images, vidéos, quiz) appartiennent à leurs auteurs et aux organismes de
formation qui les publient ; toute reproduction ou diffusion hors de la plateforme sans leur autorisation est
interdite. La plateforme est réalisée avec les logiciels libres Django et Wagtail.</p>

<h2>Signaler un contenu illicite</h2>
<p>Pour signaler un contenu manifestement illicite, écrivez à {TODO.format("adresse électronique de signalement")}
en indiquant l'adresse de la page concernée et la raison du signalement.</p>
"""


def _accessibility_body(today):
    with override("fr"):
        written = long_date(today)
    return ACCESSIBILITY_BODY.format(
        operator=TODO.format("nom de l'exploitant de la plateforme"),
        strategy=TODO.format("le cas échéant, lien vers le schéma pluriannuel de mise en accessibilité et le plan "
                             "d'actions de l'année ; sinon, supprimer ce paragraphe"),
        site=TODO.format("adresse du site"),
        audit=TODO.format("après l'audit : organisme auditeur, pourcentage de critères respectés et taux moyen "
                          "de conformité"),
        environment=TODO.format("après l'audit : combinaisons de lecteurs d'écran et de navigateurs utilisées, "
                                "par exemple NVDA et Firefox, JAWS et Firefox, VoiceOver et Safari"),
        contact=TODO.format("adresse électronique dédiée à l'accessibilité"),
        date=written,
    )


BLOCK_TAGS = "p|h2|h3|ul|ol|li"


def _compact(html):
    """One line of HTML, as Wagtail's editor stores rich text (the source above is wrapped for reading)."""
    html = re.sub(r"\s+", " ", html).strip()
    html = re.sub(rf"\s+(?=</?(?:{BLOCK_TAGS})>)", "", html)
    return re.sub(rf"(</?(?:{BLOCK_TAGS})>)\s+", r"\1", html)


def default_pages(today):
    """{kind: (title, slug, body)} of the default legal pages."""
    return {
        "privacy": ("Données personnelles", "donnees-personnelles", _compact(PRIVACY_BODY)),
        "accessibility": ("Déclaration d'accessibilité", "accessibilite", _compact(_accessibility_body(today))),
        "legal_notice": ("Mentions légales", "mentions-legales", _compact(LEGAL_NOTICE_BODY)),
    }


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, for Wagtail pages (steps of 4 characters)


def _step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, 36)
        digits = ALPHABET[remainder] + digits
    return digits.rjust(4, "0")


def legal_pages_ensure(apps=None, *, today=None):
    """Create, with the default content, each legal page whose kind does not exist yet; leave the others alone.

    Returns the kinds created. Safe to run again and under concurrency (a concurrent creation loses on the
    unique kind or tree path, and finds the page the other one made).
    """
    apps = apps or global_apps
    legal_page_model = apps.get_model("legal", "LegalPage")
    existing = set(legal_page_model.objects.values_list("kind", flat=True))
    today = today or legal_today()
    missing = {kind: value for kind, value in default_pages(today).items() if kind not in existing}
    if not missing:
        return []
    try:
        with transaction.atomic():
            _create(apps, missing, today)
    except IntegrityError:
        return []  # created at the same moment by another request
    return list(missing)


def _create(apps, missing, today):
    page_model = apps.get_model("wagtailcore", "Page")
    locale_model = apps.get_model("wagtailcore", "Locale")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    legal_page_model = apps.get_model("legal", "LegalPage")
    from wagtail.coreutils import get_supported_content_language_variant

    locale, _created = locale_model.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = page_model.objects.filter(depth=1).order_by("path").first()
    if root is None:  # a flushed database: Wagtail's root, as its initial migration makes it
        root = page_model.objects.create(
            title="Root", draft_title="Root", slug="root", path=_step(1), depth=1, numchild=0, url_path="/",
            locale=locale, live=True,
            content_type=content_type_model.objects.get_or_create(app_label="wagtailcore", model="page")[0])
    content_type, _created = content_type_model.objects.get_or_create(app_label="legal", model="legalpage")
    last_child = page_model.objects.filter(path__startswith=root.path, depth=2).order_by("-path").first()
    number = int(last_child.path[-4:], 36) if last_child else 0
    now = timezone.now()
    taken = set(page_model.objects.filter(path__startswith=root.path, depth=2).values_list("slug", flat=True))
    for kind, (title, slug, body) in missing.items():
        number += 1
        if slug in taken:
            slug = f"{slug}-{kind.replace('_', '-')}"
        legal_page_model.objects.create(
            title=title, draft_title=title, slug=slug, path=root.path + _step(number), depth=2, numchild=0,
            url_path=f"/{slug}/", locale=locale, live=True, has_unpublished_changes=False,
            first_published_at=now, last_published_at=now, content_type=content_type,
            kind=kind, last_updated=today, body=body)
    page_model.objects.filter(pk=root.pk).update(numchild=page_model.objects.filter(
        path__startswith=root.path, depth=2).count())


def legal_page_for(kind):
    """The legal page of this kind, created with the default content if there is none."""
    page = LegalPage.objects.filter(kind=kind).first()
    if page is None:
        legal_pages_ensure()
        page = LegalPage.objects.get(kind=kind)
    return page
