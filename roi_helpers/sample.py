"""The kit's sample data: a small, coherent, fictional data set in the platforms' real formats.

Quillmoor Software B.V. is a fictional Amsterdam company selling accounts-payable
automation to mid-size European firms. Six people work with its social presence: five in
sales and one marketer. :func:`generate` writes what they would have exported in 2025:

- ``linkedin/<person>/Connections.csv``: each person's LinkedIn connections, in the current
  export format (and one older export, without notes or profile URLs);
- ``crm_accounts.csv``: the CRM's clients, prospects, partners and competitors;
- ``x/``: the company's X posts (legacy ``tweet_activity_metrics`` monthly files, then the
  newer ``account_analytics_content`` layout) and the daily ``account_overview_analytics``;
- ``x/QuillmoorHQ_follower_totals.csv``: the X account's daily follower totals, which X's
  exports never give, as the analyst recorded them (the kit's canonical followers table);
- ``linkedin_page/``: the company page's daily content metrics and follower gains, and its
  posts (the ``All posts`` sheet of LinkedIn's content export, as ``.xlsx``);
- ``peer_accounts.csv``: about 30 competitors', partners' and trade media's accounts, and the
  company's own, with followers and average engagement (the canonical profiles table);
- ``events.csv``: who reshared which X post from whom (the kit's canonical events table).

The story the analysis can find: the sales people mostly know other sales people, a
minority of their connections work at clients and prospects (more so among recent
connections), the marketer's network is made of marketers; engagement is heavy-tailed,
with weekday and hour effects, video and images doing better than links (on LinkedIn,
documents best and articles worst), and a few breakout posts that were reshared hundreds of
times through several generations, carried partly by the team and their connections; peer
accounts' audiences span three orders of magnitude while their engagement barely follows
(the follower fallacy). A handful of realistic defects are planted (a
repeated reshare, a self-loop, a reshare timed before its parent, one whose parent is
missing; negative daily corrections; an older export with one invalid UTF-8 byte), so
that the cleaning reports have something to show.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed writes
byte-identical files, whatever the date, locale or machine. Regenerate the committed
sample with ``python -m roi_helpers.sample data/sample --seed 2025`` (or ``roi sample``).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import numpy as np
import pandas as pd

from .errors import RoiInputError

__all__ = [
    "COMPANY",
    "LINKEDIN_PAGE",
    "TEAM",
    "X_HANDLE",
    "YEAR",
    "Member",
    "generate",
    "main",
]

#: The year the sample covers (posts, daily metrics, reshares).
YEAR = 2025
#: The fictional company whose team and accounts the sample shows.
COMPANY = "Quillmoor Software B.V."
#: Its X handle (the author of every post and the root of every cascade).
X_HANDLE = "QuillmoorHQ"
#: Its LinkedIn company page (the prefix of the page's export files).
LINKEDIN_PAGE = "quillmoor-software"
_DOMAIN = "quillmoor.example"
_TZ = "Europe/Amsterdam"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TWITTER_EPOCH_MS = 1288834974657
_LEGACY_MONTHS = 10  # Jan-Oct in tweet_activity files; Nov-Dec in the newer layout


@dataclass(frozen=True)
class Member:
    """One person of the fictional team.

    Attributes
    ----------
    slug : str
        LinkedIn profile slug: the folder name of their export and their person id in
        ``events.csv``.
    first, last : str
        Name.
    title : str
        Job title as their profile shows it (in colleagues' exports).
    function : str
        ``sales`` or ``marketing``: whose peers are whose.
    connections : int
        Connections in their export, colleagues included.
    first_connection, joined, exported_on : str
        ISO dates: their oldest connection, when they joined the company, when they
        exported their connections.
    older_format : bool
        True for an export in LinkedIn's older format (no notes, no URLs, ``12-Oct-20``).
    locales : tuple of (str, float)
        The languages of their network, with weights.
    x_followers : int
        Their follower count on X (``user_followers`` in the events).
    """

    slug: str
    first: str
    last: str
    title: str
    function: str
    connections: int
    first_connection: str
    joined: str
    exported_on: str
    older_format: bool
    locales: tuple[tuple[str, float], ...]
    x_followers: int


#: The team: five sales people and one marketer.
TEAM: tuple[Member, ...] = (
    Member(
        "ana-duarte-5a1b7c",
        "Ana",
        "Duarte",
        "Head of Sales EMEA | AP automation 🚀",
        "sales",
        420,
        "2014-05-12",
        "2019-03-04",
        "2025-12-12",
        False,
        (("pt", 0.25), ("en", 0.35), ("nl", 0.2), ("es", 0.2)),
        1850,
    ),
    Member(
        "tom-whitfield-88b2e1",
        "Tom",
        "Whitfield",
        "Senior Account Executive",
        "sales",
        350,
        "2016-09-01",
        "2020-06-15",
        "2025-12-03",
        False,
        (("en", 0.7), ("nl", 0.15), ("de", 0.15)),
        960,
    ),
    Member(
        "priya-raman-sdr",
        "Priya",
        "Raman",
        "SDR @ Quillmoor",
        "sales",
        190,
        "2021-01-20",
        "2024-02-05",
        "2025-12-08",
        False,
        (("en", 0.6), ("nl", 0.25), ("fr", 0.15)),
        410,
    ),
    Member(
        "lukas-brenner-3f09d4",
        "Lukas",
        "Brenner",
        "Key Account Manager DACH",
        "sales",
        310,
        "2015-03-10",
        "2021-02-01",
        "2025-12-10",
        False,
        (("de", 0.75), ("en", 0.15), ("nl", 0.1)),
        1320,
    ),
    Member(
        "sofia-marchetti-71c2aa",
        "Sofia",
        "Marchetti",
        "Account Executive Italia",
        "sales",
        260,
        "2013-10-02",
        "2019-09-16",
        "2021-11-08",
        True,
        (("it", 0.7), ("en", 0.15), ("es", 0.15)),
        700,
    ),
    Member(
        "jade-okafor-mktg",
        "Jade",
        "Okafor",
        "Marketing Manager | B2B SaaS | Content that sells ✨",
        "marketing",
        380,
        "2017-02-14",
        "2022-05-02",
        "2025-12-15",
        False,
        (("en", 0.55), ("nl", 0.25), ("fr", 0.1), ("de", 0.1)),
        2900,
    ),
)

# -- vocabulary ------------------------------------------------------------------------------
_LOCALES = ("en", "es", "pt", "fr", "de", "it", "nl", "xx")  # xx: international names
_FIRST = {
    "en": "James Olivia Thomas Emily Daniel Grace Oliver Hannah Samuel Chloe Henry Amelia Jack "
    "Lucy George Isla Ethan Megan Ryan Sophie",
    "es": "Javier Lucía Carlos María Alejandro Carmen Diego Elena Pablo Marta Sergio Laura "
    "Andrés Paula Raúl Nuria",
    "pt": "João Beatriz Tiago Inês Rafael Mariana Pedro Ana Gonçalo Carolina Bruno Leonor "
    "Rodrigo Camila",
    "fr": "Julien Camille Nicolas Léa Mathieu Chloé Antoine Manon Guillaume Élodie Sébastien "
    "Margaux François Aurélie",
    "de": "Lukas Anna Jonas Lea Felix Sophie Maximilian Johanna Tobias Katharina Florian Jana "
    "Matthias Lena Jürgen Björn",
    "it": "Marco Giulia Luca Francesca Alessandro Chiara Matteo Sara Davide Valentina Andrea "
    "Federica Simone Elisa",
    "nl": "Daan Sanne Bram Lotte Jeroen Eva Thijs Fleur Joost Iris Sander Anouk Wouter Femke",
    "xx": "Arjun Priyanka Wei Mei Oluwaseun Amara Mateusz Zofia Kenji Yuki Ahmed Layla Dmitri "
    "Aisha",
}
_LAST = {
    "en": "Carter|Hughes|Bennett|Foster|Reid|Walsh|Turner|Parker|Ellis|Morgan|Hayes|Shaw|"
    "Brooks|Doyle|Price|Barker",
    "es": "García|Fernández|López|Martínez|Sánchez|Romero|Navarro|Torres|Domínguez|Gil|"
    "Vázquez|Serrano|Molina|Ortega",
    "pt": "Silva|Santos|Ferreira|Pereira|Costa|Oliveira|Rodrigues|Martins|Sousa|Almeida|"
    "Carvalho|Gomes|Lopes|Ribeiro",
    "fr": "Martin|Bernard|Dubois|Moreau|Laurent|Lefèvre|Girard|Bonnet|Rousseau|Fontaine|"
    "Mercier|Chevalier|Garnier|Faure",
    "de": "Müller|Schmidt|Schneider|Fischer|Weber|Wagner|Becker|Hoffmann|Schäfer|Koch|"
    "Richter|Klein|Wolf|Neumann|Böhm",
    "it": "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|"
    "Gallo|Conti|De Luca",
    "nl": "de Jong|Jansen|de Vries|van den Berg|Bakker|Visser|Smit|Meijer|de Boer|Mulder|"
    "Bos|Vos|Peters|Hendriks",
    "xx": "Sharma|Patel|Zhang|Wang|Adeyemi|Okonkwo|Kowalski|Nowak|Tanaka|Sato|Hassan|Haddad|"
    "Ivanov|Khan",
}

# Job titles by function and language, as people write them on their profiles.
_TITLES: dict[str, dict[str, str]] = {
    "sales": {
        "en": "Account Executive|Senior Account Executive|Sr. Account Executive|Enterprise "
        "Account Executive|SDR|BDR|Sales Development Representative|Business Development "
        "Manager|Key Account Manager|Sales Manager|Regional Sales Manager|Head of Sales|VP "
        "Sales|VP of Sales EMEA|Sales Director|Inside Sales Representative|Channel Sales "
        "Manager|Chief Revenue Officer|Sales Executive|Commercial Director",
        "es": "Ejecutivo de Cuentas|Ejecutiva Comercial|Director Comercial|Directora de "
        "Ventas|Gerente de Ventas|Responsable de Desarrollo de Negocio|Representante de "
        "Ventas|Jefe de Ventas Zona Norte",
        "pt": "Executivo de Vendas|Executiva de Contas|Gerente Comercial|Diretor de Vendas|"
        "Consultor Comercial|Coordenadora de Vendas|Representante Comercial",
        "fr": "Responsable Commercial|Directeur Commercial|Directrice des Ventes|Ingénieur "
        "Commercial|Chargé d'affaires|Business Developer|Account Manager Grands Comptes|"
        "Commerciale Sédentaire",
        "de": "Vertriebsleiter|Leiter Vertrieb DACH|Vertriebsmitarbeiterin|Key Account "
        "Managerin|Außendienstmitarbeiter|Gebietsverkaufsleiter|Head of Sales DACH|"
        "Vertriebsbeauftragter",
        "it": "Responsabile Commerciale|Direttore Vendite|Account Manager|Area Manager "
        "Vendite|Agente di Commercio|Responsabile Sviluppo Business",
        "nl": "Accountmanager|Salesmanager|Commercieel Directeur|Verkoopadviseur|Business "
        "Developer|Binnendienst Verkoop|Sales Director Benelux",
    },
    "marketing": {
        "en": "Marketing Manager|Senior Marketing Manager|CMO|Head of Marketing|Content "
        "Marketing Lead|Growth Marketer|Demand Generation Manager|Product Marketing Manager|"
        "Brand Manager|Social Media Manager|SEO Specialist|Marketing Coordinator|VP Marketing|"
        "Digital Marketing Specialist|Field Marketing Manager",
        "es": "Responsable de Marketing|Directora de Marketing|Especialista en Marketing "
        "Digital|Community Manager|Jefe de Marketing",
        "pt": "Gerente de Marketing|Analista de Marketing|Coordenadora de Marketing Digital|"
        "Diretor de Marketing",
        "fr": "Responsable Marketing|Chef de projet marketing|Directrice Marketing|Responsable "
        "Communication|Chargée de communication",
        "de": "Marketingleiterin|Leiter Marketing|Referent Online-Marketing|Marketing "
        "Managerin|Content-Managerin",
        "it": "Responsabile Marketing|Direttore Marketing|Digital Marketing Specialist|Social "
        "Media Manager",
        "nl": "Marketingmanager|Medewerker Marketing|Marketeer|Online Marketeer|Hoofd Marketing",
    },
    "finance": {
        "en": "CFO|Chief Financial Officer|Finance Director|Financial Controller|Head of "
        "Finance|Accounts Payable Manager|AP Specialist|VP Finance|Controller|Sr. Mgr, Finance "
        "Operations|Finance Manager|Group Financial Controller|Chief Accountant|Treasury "
        "Manager|Accounts Payable Clerk",
        "es": "Director Financiero|Directora Financiera|Controller Financiero|Jefe de "
        "Contabilidad|Responsable de Cuentas a Pagar|Director de Administración y Finanzas",
        "pt": "Diretor Financeiro|Gerente Financeira|Controller|Analista de Contas a Pagar|"
        "Coordenador Financeiro",
        "fr": "Directeur Administratif et Financier|DAF|Contrôleur de gestion|Responsable "
        "comptable|Comptable fournisseurs|Directrice Financière",
        "de": "Leiter Finanzen|Finanzbuchhalterin|Kaufmännischer Leiter|Controller|Leiterin "
        "Rechnungswesen|CFO",
        "it": "Direttore Finanziario|Responsabile Amministrazione e Finanza|Controller|"
        "Responsabile Contabilità Fornitori",
        "nl": "Financieel Directeur|Hoofd Financiën|Controller|Medewerker "
        "Crediteurenadministratie|Financieel Manager",
    },
    "procurement": {
        "en": "Head of Procurement|Procurement Manager|Chief Procurement Officer|Purchasing "
        "Manager|Buyer|Strategic Sourcing Lead",
        "es": "Jefe de Compras|Responsable de Compras",
        "pt": "Gerente de Compras|Comprador",
        "fr": "Responsable Achats|Acheteur",
        "de": "Einkaufsleiter|Strategischer Einkäufer",
        "it": "Responsabile Acquisti|Buyer",
        "nl": "Inkoopmanager|Inkoper",
    },
    "executive": {
        "en": "CEO|Founder & CEO|Co-founder|Managing Director|COO|General Manager|President|Owner",
        "es": "Director General|Fundador|Consejero Delegado",
        "pt": "Diretor Geral|Sócio-fundador|CEO",
        "fr": "Directeur Général|Fondateur|Président",
        "de": "Geschäftsführer|Gründer|Geschäftsführerin",
        "it": "Amministratore Delegato|Fondatore|Direttore Generale",
        "nl": "Algemeen Directeur|Eigenaar|Oprichter",
    },
    "engineering": {
        "en": "Software Engineer|Senior Software Engineer|CTO|IT Manager|DevOps Engineer|Data "
        "Engineer|Solutions Architect|Head of IT|Full Stack Developer|QA Engineer",
        "es": "Desarrollador Full Stack|Ingeniero de Software|Responsable de Sistemas",
        "pt": "Engenheiro de Software|Desenvolvedora|Analista de Sistemas",
        "fr": "Ingénieur logiciel|Développeur Full Stack|DSI|Responsable informatique",
        "de": "Softwareentwickler|IT-Leiter|Systemadministrator|Entwicklerin",
        "it": "Sviluppatore Software|Responsabile IT|Ingegnere del Software",
        "nl": "Softwareontwikkelaar|IT-manager|Systeembeheerder",
    },
    "operations": {
        "en": "Operations Manager|Supply Chain Manager|Logistics Coordinator|Project Manager|"
        "Office Manager|Head of Operations",
        "es": "Jefe de Operaciones|Responsable de Logística",
        "pt": "Gerente de Operações|Coordenadora de Logística",
        "fr": "Responsable des opérations|Chef de projet|Responsable logistique",
        "de": "Betriebsleiter|Projektleiterin|Logistikleiter",
        "it": "Responsabile Operativo|Project Manager",
        "nl": "Operationeel Manager|Projectleider|Logistiek Coördinator",
    },
    "hr": {
        "en": "Talent Acquisition Partner|Recruiter|Senior Technical Recruiter|HR Business "
        "Partner|Head of People|HR Manager",
        "es": "Reclutadora|Técnico de Recursos Humanos",
        "pt": "Recrutadora|Analista de RH",
        "fr": "Chargée de recrutement|Responsable RH",
        "de": "Personalreferentin|Recruiterin|Leiter Personal",
        "it": "Responsabile Risorse Umane|Recruiter",
        "nl": "Recruiter|HR-adviseur",
    },
    "consulting": {
        "en": "Consultant|Senior Consultant|Management Consultant|Advisor|Freelance Consultant",
        "es": "Consultor|Consultora Senior",
        "pt": "Consultor|Consultora",
        "fr": "Consultant|Consultante Senior",
        "de": "Berater|Unternehmensberaterin",
        "it": "Consulente|Consulente Senior",
        "nl": "Adviseur|Consultant",
    },
    "student": {
        "en": "Student|MBA Candidate|Graduate Student|Intern|Open to work|Retired",
        "es": "Estudiante|Becaria",
        "pt": "Estudante|Estagiário",
        "fr": "Étudiant|Stagiaire",
        "de": "Student|Werkstudentin|Praktikant",
        "it": "Studente|Stagista",
        "nl": "Student|Stagiair",
    },
}
_TAGLINES = (
    "SaaS|B2B|Fintech|Helping finance teams close faster|Ex-Big4|Speaker|Mentor|AP automation|"
    "Procure-to-Pay|#OpenToWork|Dad of 2|Coffee lover ☕|MBA|CPA|ACCA|Building the future of "
    "finance|Scaling B2B teams|Revenue Operations|Let's connect!|Opinions my own|Cycling nerd 🚴"
).split("|")
_EMOJI = np.array(["🚀", "📈", "✨", "🌍", "💡", "🎯", "📊", "⚡", "🤝"], dtype=object)
_BOLD = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "".join(chr(0x1D5D4 + i) for i in range(26)) + "".join(chr(0x1D5EE + i) for i in range(26)),
)

# The CRM: company, status, locale, aliases, domain ("" = none; two written as URLs).
_CRM = [
    ("Acme Inc.", "client", "en", "ACME; Acme Incorporated", "acme-inc.example"),
    ("Tidewell Logistics GmbH", "client", "de", "Tidewell; Tidewell Logistik", "tidewell.example"),
    ("Brassmoor Foods S.A.", "client", "es", "Brassmoor Alimentación", "brassmoor.example"),
    ("Kestrelwick Freight Ltd", "client", "en", "", "kestrelwick.example"),
    ("Orchardvale Retail plc", "client", "en", "Orchardvale", "orchardvale.example"),
    ("Vantorra Energia S.p.A.", "client", "it", "Vantorra", "vantorra.example"),
    ("Marrowfield Healthcare B.V.", "client", "nl", "Marrowfield Zorg", "marrowfield.example"),
    ("Quelbridge Manufacturing SAS", "client", "fr", "", "quelbridge.example"),
    ("Pellucid Pharma AG", "client", "de", "Pellucid", "https://www.pellucid-pharma.example"),
    ("Ferrovale Construções Lda.", "client", "pt", "Ferrovale", "ferrovale.example"),
    ("Duneshire Hotels Ltd", "client", "en", "Duneshire Hospitality", "duneshire.example"),
    ("Corvantis Insurance SE", "client", "de", "Corvantis", "corvantis.example"),
    ("Halloway & Finch LLP", "client", "en", "Halloway and Finch", "hallowayfinch.example"),
    ("Silverbirch Media GmbH", "client", "de", "", "silverbirch-media.example"),
    ("Noordhaven Logistiek B.V.", "client", "nl", "Noordhaven", "noordhaven.example"),
    ("Alcantra Textiles S.L.", "client", "es", "Alcantra", "alcantra.example"),
    ("Bellwyn Brewing Co.", "prospect", "en", "Bellwyn Brewery", "bellwyn.example"),
    ("Cindermoor Steel AG", "prospect", "de", "Cindermoor Stahl", "cindermoor.example"),
    ("Glimmerton Electronics Ltd", "prospect", "en", "", "glimmerton.example"),
    ("Harrowmere Chemicals plc", "prospect", "en", "Harrowmere", "harrowmere.example"),
    ("Isolde Cosmétiques SAS", "prospect", "fr", "Isolde Cosmetics", "isolde.example"),
    ("Juniper Quay Shipping Ltd", "prospect", "en", "Juniper Quay", "juniperquay.example"),
    ("Lindqvar Papier GmbH", "prospect", "de", "Lindqvar Paper", "lindqvar.example"),
    ("Norrwick Foods B.V.", "prospect", "nl", "", "norrwick.example"),
    ("Ostrelle Telecom S.A.", "prospect", "fr", "Ostrelle", "ostrelle.example"),
    ("Parvane Automotive GmbH", "prospect", "de", "Parvane", "parvane.example"),
    ("Quintara Banca S.p.A.", "prospect", "it", "Banca Quintara", "quintara.example"),
    ("Rosewick Dairy Ltd", "prospect", "en", "", "rosewick.example"),
    ("Ulverdon Pumps Ltd", "prospect", "en", "Ulverdon", "ulverdon.example"),
    ("Valtessa Alimentari S.r.l.", "prospect", "it", "Valtessa", "valtessa.example"),
    ("Wexmoor Outdoor Inc.", "prospect", "en", "Wexmoor", "wexmoor.example"),
    ("Yarrowby Estates Ltd", "prospect", "en", "", ""),
    ("Zephyrine Viagens Lda.", "prospect", "pt", "Zephyrine Travel", "zephyrine.example"),
    ("Amberlune Joaillerie SAS", "prospect", "fr", "Amberlune", "amberlune.example"),
    ("Caldermoss Water plc", "prospect", "en", "Caldermoss", "caldermoss.example"),
    ("Emberfield Tools Inc.", "prospect", "en", "", "emberfield.example"),
    ("Grenzmark Bau GmbH", "prospect", "de", "Grenzmark", "grenzmark.example"),
    ("Heliant Solar S.L.", "prospect", "es", "Heliant", "heliant.example"),
    ("Ivorstone Properties Ltd", "prospect", "en", "Ivorstone", "ivorstone.example"),
    ("Kornhaven Agrar GmbH", "prospect", "de", "", "kornhaven.example"),
    ("Lumareo Óptica S.L.", "prospect", "es", "Lumareo Optica", "lumareo.example"),
    ("Nettlebury Publishing Ltd", "prospect", "en", "Nettlebury", "nettlebury.example"),
    ("Oranjevaart Transport B.V.", "prospect", "nl", "Oranjevaart", "oranjevaart.example"),
    ("Pradella Moda S.r.l.", "prospect", "it", "Pradella", "https://pradella.example/"),
    ("Quindara Cafés S.A.", "prospect", "es", "Quindara", "quindara.example"),
    ("Ravenholt Security N.V.", "prospect", "nl", "", "ravenholt.example"),
    ("Ledgerlight Consulting Ltd", "partner", "en", "Ledgerlight", "ledgerlight.example"),
    ("Stellwerk IT GmbH", "partner", "de", "Stellwerk", "stellwerk-it.example"),
    ("Contafácil Partners S.L.", "partner", "es", "Contafacil", "contafacil.example"),
    ("Numerisca Conseil SAS", "partner", "fr", "Numerisca", "numerisca.example"),
    ("Ponte Digitale S.r.l.", "partner", "it", "", "pontedigitale.example"),
    ("Tulpenburg ERP B.V.", "partner", "nl", "Tulpenburg", "tulpenburg.example"),
    ("Ascendia Cloud Inc.", "partner", "en", "Ascendia", "ascendia.example"),
    ("Integra Sul Lda.", "partner", "pt", "", "integrasul.example"),
    ("Payablo Inc.", "competitor", "en", "Payablo", "payablo.example"),
    ("InvoiceNest Ltd", "competitor", "en", "Invoice Nest", "invoicenest.example"),
    ("Apryl Software GmbH", "competitor", "de", "Apryl", "apryl.example"),
    ("Fakturo S.A.", "competitor", "es", "", "fakturo.example"),
    ("Clearledger B.V.", "competitor", "nl", "Clear Ledger", "clearledger.example"),
    ("Tallybright SAS", "competitor", "fr", "Tallybright", "tallybright.example"),
]
_LEGAL = (
    "Inc.",
    "Ltd",
    "plc",
    "LLP",
    "Co.",
    "GmbH",
    "AG",
    "SE",
    "S.A.",
    "S.L.",
    "SAS",
    "S.p.A.",
    "S.r.l.",
    "B.V.",
    "N.V.",
    "Lda.",
)
_LEGAL_SWAP = {
    "Inc.": "Inc",
    "Ltd": "Limited",
    "GmbH": "Gmbh",
    "S.A.": "SA",
    "S.L.": "SL",
    "B.V.": "BV",
    "S.p.A.": "SpA",
    "S.r.l.": "Srl",
    "Lda.": "Lda",
    "SAS": "S.A.S.",
    "plc": "PLC",
    "AG": "Aktiengesellschaft",
}
_COUNTRY = {
    "en": "UK",
    "de": "Deutschland",
    "es": "España",
    "fr": "France",
    "it": "Italia",
    "nl": "Nederland",
    "pt": "Portugal",
}
_SUFFIX_BY_LOCALE = {
    "en": ["Ltd", "Inc.", "LLC", "plc", ""],
    "es": ["S.L.", "S.A.", ""],
    "pt": ["Lda.", "S.A.", ""],
    "fr": ["SAS", "SA", "SARL", ""],
    "de": ["GmbH", "AG", ""],
    "it": ["S.r.l.", "S.p.A.", ""],
    "nl": ["B.V.", "N.V.", ""],
    "xx": ["Ltd", "Inc.", ""],
}
_SYLLABLES = "va lor qui tes mar no bel dra ko vin sa tur el ga ri zen om pha lu cor ne bri".split()
_SECTORS = (
    "Software|Logistics|Consulting|Systems|Labs|Solutions|Analytics|Foods|Retail|Media|Energy|"
    "Health|Capital|Partners|Group|Technologies|Industries|Digital"
).split("|")

# Company posts on X, by content type: "{link}" becomes a t.co link.
_POSTS = {
    "text": [
        "Month-end close shouldn't take 10 days. What's the one step you'd automate first? "
        "#FinOps #AccountsPayable",
        "Hot take: the PDF invoice is the fax machine of 2025. Agree? #AP #Automation",
        "Three questions every CFO should ask before buying AP software:\n\n1. Where do "
        "exceptions go?\n2. Who approves?\n3. How fast do suppliers get paid?",
        "Late payments cost suppliers more than interest. They cost trust. #CashFlow",
        "We're hiring a Senior Backend Engineer in Amsterdam! DM us or see our careers page. "
        "#hiring",
        "Goedemorgen! Hoeveel facturen verwerkt jouw team per maand? #Finance #Automatisering",
        "¿Cuántas horas pierde tu equipo cada mes persiguiendo aprobaciones de facturas? "
        '"Demasiadas" es una respuesta válida. #Finanzas',
        "Controllers & AP teams: what's the most annoying invoice format you've ever received?",
        "Wie viele Rechnungen landen bei Ihnen noch auf Papier? #Buchhaltung #Digitalisierung",
        "Small win of the week: a client closed their books in 4 days instead of 9. 🎉",
    ],
    "link": [
        "New on the blog: 5 ways CFOs cut invoice processing costs in 2025 {link} #CFO #FinOps",
        "E-invoicing mandates across Europe, country by country (updated) {link} #eInvoicing",
        "How Tidewell Logistics halved its approval times (customer story) {link}",
        "Webinar next Thursday: duplicate payments and how to stop them {link} #AccountsPayable",
        "Our guide to three-way matching, without the jargon {link}",
        "Release notes: approval rules by cost centre, and a faster supplier portal {link}",
        "Nuevo artículo: la factura electrónica obligatoria en España, explicada {link}",
        "Podcast: the future of the finance team, with two controllers {link} #Finance",
        "Why 'touchless AP' is a goal, not a feature {link}",
    ],
    "image": [
        "Where does an invoice spend its time? Our benchmark in one chart 📊 {link}",
        "The team at the Amsterdam office this week 👋 {link}",
        "Infographic: the real cost of a paper invoice {link} #AccountsPayable",
        "Approval chains, before and after. Spot the difference. {link}",
        "Meet us at the Finance Transformation Summit, stand 42! {link}",
        "5 signs your AP process needs help (number 4 hurts) {link}",
        "Proud to welcome our newest clients this quarter! {link} #customers",
    ],
    "video": [
        "2-minute demo: approve invoices right from your inbox 🎥 {link}",
        "A controller explains her month-end, in 60 seconds {link} #FinOps",
        "Watch: how the supplier portal works {link}",
        "Behind the scenes: building an invoice-reading model {link} #AI",
        "Customer story on video: Acme's AP team, one year on {link}",
    ],
}
_BREAKOUTS = [  # (month, content type, text): the posts that travelled
    (3, "video", "Month-end close in 90 seconds. Yes, really. 🎥 {link} #FinOps #CFO"),
    (6, "image", "We analysed 2.1 million invoices. Here is what slows AP teams down 📊 {link}"),
    (9, "link", "The European e-invoicing deadline tracker: every country, every date {link}"),
    (
        10,
        "text",
        "Unpopular opinion: most approval chains exist to avoid blame, not errors. #Finance #AP",
    ),
    (12, "video", "Our CFO reacts to the worst invoice we have ever received 😅 {link}"),
]
_CONTENT_TYPES = ("text", "link", "image", "video")

# The company page's LinkedIn posts: content types, how often, and their typical rates per
# impression (likes, comments, reposts, clicks) and reach (relative to the page's audience).
_LI_TYPES = ("text", "image", "video", "document", "article", "poll")
_LI_TYPE_P = (0.22, 0.27, 0.14, 0.15, 0.12, 0.10)
_LI_RATES = {
    "text": (0.022, 0.0030, 0.0015, 0.020, 0.9),
    "image": (0.030, 0.0030, 0.0020, 0.025, 1.0),
    "video": (0.026, 0.0025, 0.0025, 0.018, 1.1),
    "document": (0.036, 0.0040, 0.0035, 0.060, 1.15),
    "article": (0.013, 0.0015, 0.0020, 0.045, 0.75),
    "poll": (0.021, 0.0090, 0.0010, 0.040, 1.2),
}
_LI_TITLES = {
    "text": [
        "Three questions to ask before you automate accounts payable",
        "What we learned from 40 finance teams about month-end close",
        "Late payments cost suppliers trust, not just interest.",
        "We're hiring in Amsterdam: Senior Backend Engineer (Payments)",
        "Small win of the week: a client closed their books in 4 days instead of 9",
        "E-invoicing is coming to Belgium in 2026. Is your AP team ready?",
    ],
    "image": [
        "Where does an invoice spend its time? Our benchmark in one chart",
        "The Quillmoor team at the Finance Transformation Summit, stand 42",
        "Approval chains, before and after",
        "Infographic: the real cost of a paper invoice",
        "Welcome to our newest clients this quarter!",
    ],
    "video": [
        "2-minute demo: approve invoices from your inbox",
        "A controller explains her month-end, in 60 seconds",
        "Customer story on video: Tidewell Logistics, one year on",
        "Behind the scenes: teaching a model to read invoices",
    ],
    "document": [
        "The month-end close checklist (12 pages, free to share)",
        "E-invoicing mandates across Europe, country by country",
        "Three-way matching without the jargon: a visual guide",
        "Our AP automation buyer's guide for mid-size companies",
    ],
    "article": [
        "Why 'touchless AP' is a goal, not a feature",
        "Five myths about e-invoicing, and what the law actually says",
        "How Acme cut invoice processing costs by 60%",
        "The CFO's guide to duplicate payments",
    ],
    "poll": [
        "Which month-end task would you automate first?",
        "How many invoices does your team still receive on paper?",
        "Who approves invoices in your company?",
    ],
}
#: The two LinkedIn posts that travelled far: (month, content type).
_LI_BREAKOUTS = ((3, "document"), (9, "video"))
_LI_BREAKOUT_TITLES = (
    "We analysed 2.1 million invoices: the 12-page report on what slows AP teams down",
    "Our CFO reacts to the worst invoice we have ever received",
)
_PAGE_OPENED = 5  # the page opened on 6 January (day 5 of the year)
#: Who publishes on the page: the marketer, sometimes the head of sales.
_POSTED_BY = (f"{TEAM[5].first} {TEAM[5].last}", f"{TEAM[0].first} {TEAM[0].last}")

# Peer accounts the analyst follows: (platform, account, CRM company or "", tier). The
# competitors and partners are the CRM's; the rest are trade media, communities and voices.
_PEERS = (
    ("x", "PayabloHQ", "Payablo Inc.", "vendor"),
    ("linkedin", "payablo", "Payablo Inc.", "vendor"),
    ("x", "InvoiceNest", "InvoiceNest Ltd", "vendor"),
    ("linkedin", "invoicenest", "InvoiceNest Ltd", "vendor"),
    ("x", "AprylSoftware", "Apryl Software GmbH", "vendor"),
    ("linkedin", "apryl-software", "Apryl Software GmbH", "vendor"),
    ("linkedin", "fakturo", "Fakturo S.A.", "vendor"),
    ("x", "ClearLedgerNL", "Clearledger B.V.", "vendor"),
    ("linkedin", "clearledger", "Clearledger B.V.", "vendor"),
    ("linkedin", "tallybright", "Tallybright SAS", "vendor"),
    ("linkedin", "ledgerlight-consulting", "Ledgerlight Consulting Ltd", "partner"),
    ("linkedin", "stellwerk-it", "Stellwerk IT GmbH", "partner"),
    ("linkedin", "contafacil-partners", "Contafácil Partners S.L.", "partner"),
    ("linkedin", "numerisca-conseil", "Numerisca Conseil SAS", "partner"),
    ("linkedin", "ponte-digitale", "Ponte Digitale S.r.l.", "partner"),
    ("x", "TulpenburgERP", "Tulpenburg ERP B.V.", "partner"),
    ("x", "AscendiaCloud", "Ascendia Cloud Inc.", "partner"),
    ("linkedin", "integra-sul", "Integra Sul Lda.", "partner"),
    ("x", "TheCloseDesk", "", "media"),
    ("linkedin", "ap-automation-weekly", "", "media"),
    ("x", "FinOpsCircle", "", "media"),
    ("linkedin", "cfo-brief-europe", "", "media"),
    ("x", "LedgerLore", "", "media"),
    ("linkedin", "e-invoicing-watch", "", "media"),
    ("x", "SpendSenseDaily", "", "media"),
    ("linkedin", "controllers-collective", "", "media"),
    ("x", "InvoiceOpsGuy", "", "media"),
    ("linkedin", "procure-to-pay-forum", "", "media"),
    ("x", "CashCycleCast", "", "media"),
)
#: Audience sizes by tier (log-uniform between): vendors, partners (small consultancies), media.
_PEER_TIERS = {"vendor": (2500, 90_000), "partner": (150, 6000), "media": (900, 450_000)}

_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
_TWEET_COLUMNS = [
    "Tweet id",
    "Tweet permalink",
    "Tweet text",
    "time",
    "impressions",
    "engagements",
    "engagement rate",
    "retweets",
    "replies",
    "likes",
    "user profile clicks",
    "url clicks",
    "hashtag clicks",
    "detail expands",
    "permalink clicks",
    "app opens",
    "app installs",
    "follows",
    "email tweet",
    "dial phone",
    "media views",
    "media engagements",
]
_TWEET_COLUMNS += ["promoted " + c for c in _TWEET_COLUMNS[4:]]
_CONTENT_COLUMNS = (
    "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Bookmarks,Share,New follows,"
    "Replies,Reposts,Profile visits,Detail expands,Url clicks,Hashtag clicks,Permalink clicks"
).split(",")
_OVERVIEW_COLUMNS = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
    "Profile visits,Create Post,Video views,Media views"
).split(",")
_PAGE_COLUMNS = (
    "Date,Impressions (organic),Impressions (sponsored),Impressions (total),Unique impressions "
    "(organic),Clicks (organic),Clicks (sponsored),Clicks (total),Reactions (organic),Reactions "
    "(sponsored),Reactions (total),Comments (organic),Comments (sponsored),Comments (total),"
    "Reposts (organic),Reposts (sponsored),Reposts (total),Engagement rate (organic),Engagement "
    "rate (sponsored),Engagement rate (total),Total Engagement"
).split(",")
_FOLLOWER_COLUMNS = (
    "Date,Sponsored followers,Organic followers,Auto-invited followers,Total followers,"
    "Cumulative Followers,Followers 7d Avg"
).split(",")
#: LinkedIn's 'All posts' sheet (Page > Analytics > Content > Export), in its order.
_LI_POST_COLUMNS = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views (excluding off-site video views)",
    "Off-site views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
_FOLLOWER_TOTAL_COLUMNS = [
    "account",
    "platform",
    "date",
    "followers",
    "new_followers",
    "lost_followers",
]
_PROFILE_COLUMNS = [
    "platform",
    "account",
    "followers",
    "posts",
    "avg_likes",
    "avg_comments",
    "avg_shares",
    "engagement_rate",
]
#: When LinkedIn made the content export: 1 January of the next year, 00:00 UTC, in ms.
_LI_EXPORTED_MS = int(pd.Timestamp(f"{YEAR + 1}-01-01", tz="UTC").timestamp()) * 1000
_EVENT_COLUMNS = [
    "post_id",
    "platform",
    "user_id",
    "action",
    "occurred_at",
    "parent_user_id",
    "author_id",
    "user_followers",
]


# -- small helpers ---------------------------------------------------------------------------
def _split(text: str, sep: str = "|") -> np.ndarray:
    return np.array([t.strip() for t in text.split(sep)], dtype=object)


def _ascii(values: pd.Series) -> pd.Series:
    """Accents folded, lower case, anything else a hyphen: the way profile slugs look."""
    folded = values.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return folded.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")


def _pick(rng: np.random.Generator, options: np.ndarray, n: int) -> np.ndarray:
    return options[rng.integers(0, len(options), n)]


def _codes(rng: np.random.Generator, n: int, length: int = 10) -> np.ndarray:
    alphabet = np.frombuffer(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype="S1"
    )
    raw = alphabet[rng.integers(0, len(alphabet), (n, length))]
    return raw.view(f"S{length}").ravel().astype(str).astype(object)


def _java_double(values: np.ndarray) -> list[str]:
    """Doubles as Java's ``Double.toString`` writes them (X's ``engagement rate``).

    Shortest round-trip digits; plain notation from 1e-3 up to 1e7, else ``7.35E-4``.
    """
    out = []
    for v in values.tolist():
        if v == 0:
            out.append("0.0")
        elif 1e-3 <= abs(v) < 1e7:
            text = repr(float(v))
            out.append(text if "." in text else text + ".0")
        else:
            mant, exp = np.format_float_scientific(v, unique=True, trim="k").split("e")
            mant = mant if not mant.endswith(".") else mant + "0"
            mant = mant if "." in mant else mant + ".0"
            out.append(f"{mant}E{int(exp)}")
    return out


def _g15(values: np.ndarray) -> list[str]:
    """Rates as LinkedIn's page exports write them: 15 significant digits (``0.0625``).

    The shortest decimal of each double, rounded half up to 15 digits; zero is ``0.0``.
    """
    out = []
    for v in values.tolist():
        if v == 0:
            out.append("0.0")
            continue
        exact = Decimal(repr(float(v)))
        rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - 14), rounding=ROUND_HALF_UP)
        out.append(format(rounded.normalize(), "f"))
    return out


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[object]], **fmt: object) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", **fmt)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[object]]:
    return frame[list(columns)].astype(object).to_numpy().tolist()


def _spread(
    days: np.ndarray, values: np.ndarray, shares: Sequence[float], n_days: int
) -> np.ndarray:
    """Spread each value over its day and the following ones (integers, totals kept)."""
    out = np.zeros(n_days, dtype=np.int64)
    left = values.astype(np.int64).copy()
    for k, share in enumerate(shares):
        part = left if k == len(shares) - 1 else np.floor(values * share).astype(np.int64)
        part = np.minimum(part, left)
        left = left - part
        day = days + k
        ok = day < n_days
        np.add.at(out, day[ok], part[ok])
    return out


# -- the CRM and the people ------------------------------------------------------------------
def _crm_frame() -> pd.DataFrame:
    crm = pd.DataFrame(_CRM, columns=["company", "status", "locale", "aliases", "domain"])
    crm["mail_domain"] = crm["domain"].str.replace(r"^(https?://)?(www\.)?", "", regex=True)
    crm["mail_domain"] = crm["mail_domain"].str.rstrip("/")
    return crm


def _variants(company: str, aliases: str, locale: str) -> tuple[list[str], np.ndarray]:
    """How people at one CRM company write its name on their profiles, with weights."""
    words = company.split()
    suffix = words[-1] if words[-1] in _LEGAL else ""
    base = " ".join(words[:-1]) if suffix else company
    weights: dict[str, float] = {}

    def add(name: str, w: float) -> None:
        weights[name] = weights.get(name, 0.0) + w

    alias_list = [a.strip() for a in aliases.split(";") if a.strip()]
    add(company, 0.34)
    add(base, 0.2 if alias_list else 0.32)
    add(base.upper(), 0.05)
    add(base.split()[0], 0.1)
    for alias in alias_list:
        add(alias, 0.14 / len(alias_list))
    if suffix in _LEGAL_SWAP:
        add(f"{base} {_LEGAL_SWAP[suffix]}", 0.07)
    if company == "Acme Inc.":
        add("Acme, Inc.", 0.05)
    add(f"{base} ({_COUNTRY[locale]})", 0.04)
    add(company.lower() if len(base) < 12 else base.lower(), 0.02)
    names = list(weights)
    w = np.array([weights[n] for n in names])
    return names, w / w.sum()


def _other_companies(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Fictional companies that are not in the CRM, each with a language."""
    syl = np.array(_SYLLABLES, dtype=object)
    stems = pd.Series(_pick(rng, syl, n) + _pick(rng, syl, n) + _pick(rng, syl, n))
    stems = stems.str.capitalize()
    sectors = _pick(rng, np.array(_SECTORS, dtype=object), n)
    locales = rng.choice(
        np.array(_LOCALES, dtype=object), n, p=[0.3, 0.1, 0.1, 0.1, 0.12, 0.1, 0.13, 0.05]
    )
    suffix = np.empty(n, dtype=object)
    for loc in _LOCALES:
        mask = locales == loc
        suffix[mask] = _pick(rng, np.array(_SUFFIX_BY_LOCALE[loc], dtype=object), int(mask.sum()))
    name = (stems + " " + pd.Series(sectors) + " " + pd.Series(suffix)).str.strip()
    frame = pd.DataFrame({"company": name, "locale": locales, "stem": stems})
    return frame.drop_duplicates("company").reset_index(drop=True)


def _names(rng: np.random.Generator, locales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(locales)
    first = np.empty(n, dtype=object)
    last = np.empty(n, dtype=object)
    for loc in _LOCALES:
        mask = locales == loc
        k = int(mask.sum())
        # a few people carry a name from another language
        first[mask] = _pick(rng, _split(_FIRST[loc], " "), k)
        last[mask] = _pick(rng, _split(_LAST[loc]), k)
    mixed = rng.random(n) < 0.08
    last[mixed] = _pick(rng, _split(_LAST["xx"]), int(mixed.sum()))
    return first, last


def _titles(
    rng: np.random.Generator, functions: np.ndarray, locales: np.ndarray, companies: np.ndarray
) -> np.ndarray:
    """Job titles in the person's language (or English), decorated as profiles are."""
    n = len(functions)
    native = (rng.random(n) < 0.55) & (locales != "en") & (locales != "xx")
    lang = np.where(native, locales, "en")
    base = np.empty(n, dtype=object)
    for fn, by_lang in _TITLES.items():
        for loc, options in by_lang.items():
            mask = (functions == fn) & (lang == loc)
            base[mask] = _pick(rng, _split(options), int(mask.sum()))
    title = pd.Series(base, dtype=object)
    style = rng.choice(10, n, p=[0.56, 0.14, 0.07, 0.05, 0.04, 0.05, 0.03, 0.03, 0.015, 0.015])
    taglines = np.array(_TAGLINES, dtype=object)
    first_tag = rng.integers(0, len(taglines), n)
    second_tag = (first_tag + rng.integers(1, len(taglines), n)) % len(taglines)  # never the same
    tags, tags2 = pd.Series(taglines[first_tag]), pd.Series(taglines[second_tag])
    emoji = pd.Series(_pick(rng, _EMOJI, n))
    at_company = pd.Series(companies).str.replace(r"\s+\S+\.$", "", regex=True)
    decorated = {
        1: title + " | " + tags,
        2: title + " @ " + at_company,
        3: emoji + " " + title,
        4: title + " " + emoji,
        5: title + " · " + tags + " · " + tags2,
        6: title.str.upper(),
        7: title + " ",
        8: title + " | " + tags.str.translate(_BOLD),
        9: title + " - " + tags,
    }
    for code, values in decorated.items():
        mask = style == code
        title[mask] = values[mask]
    return title.to_numpy(dtype=object)


def _people(rng: np.random.Generator, crm: pd.DataFrame) -> pd.DataFrame:
    """Everyone who appears in a team member's network, with their profile.

    Columns: ``pool`` (crm, sales, marketing, other, internal), ``person_id`` (profile
    slug), ``first``, ``last``, ``locale``, ``function``, ``company`` (as they write it),
    ``crm_company`` and ``status`` (when they work at a CRM account), ``title``, ``email``,
    ``x_followers``.
    """
    # people at CRM accounts: clients' and prospects' finance, procurement and leaders
    per = {"client": (9, 16), "prospect": (4, 9), "partner": (4, 8), "competitor": (5, 9)}
    counts = np.array([rng.integers(*per[s]) for s in crm["status"]])
    at = np.repeat(np.arange(len(crm)), counts)
    status = crm["status"].to_numpy()[at]
    buyer_fn = [
        "finance",
        "procurement",
        "executive",
        "engineering",
        "operations",
        "sales",
        "marketing",
        "hr",
    ]
    fn = rng.choice(
        np.array(buyer_fn, dtype=object), len(at), p=[0.42, 0.12, 0.12, 0.1, 0.1, 0.07, 0.04, 0.03]
    )
    vendor = np.isin(status, ["partner", "competitor"])
    fn[vendor] = rng.choice(
        np.array(["sales", "marketing", "engineering", "executive", "consulting"], dtype=object),
        int(vendor.sum()),
        p=[0.45, 0.15, 0.15, 0.1, 0.15],
    )
    crm_locale = crm["locale"].to_numpy()[at]
    loc = np.where(rng.random(len(at)) < 0.8, crm_locale, "en")
    written = np.empty(len(at), dtype=object)
    for i, row in enumerate(crm.itertuples()):  # 60 accounts: how their people spell them
        names, w = _variants(row.company, row.aliases, row.locale)
        mask = at == i
        written[mask] = rng.choice(np.array(names, dtype=object), int(mask.sum()), p=w)
    crm_people = pd.DataFrame(
        {
            "pool": "crm",
            "locale": loc,
            "function": fn,
            "company": written,
            "crm_company": crm["company"].to_numpy()[at],
            "status": status,
            "mail_domain": crm["mail_domain"].to_numpy()[at],
        }
    )

    others = _other_companies(rng, 420)
    pools = []
    for pool, size, functions, probs in [
        ("sales", 1400, ["sales"], [1.0]),
        ("marketing", 650, ["marketing"], [1.0]),
        (
            "other",
            950,
            [
                "engineering",
                "finance",
                "hr",
                "consulting",
                "operations",
                "executive",
                "student",
                "procurement",
            ],
            [0.24, 0.14, 0.12, 0.14, 0.12, 0.1, 0.1, 0.04],
        ),
    ]:
        company_idx = rng.integers(0, len(others), size)
        pools.append(
            pd.DataFrame(
                {
                    "pool": pool,
                    "locale": others["locale"].to_numpy()[company_idx],
                    "function": rng.choice(np.array(functions, dtype=object), size, p=probs),
                    "company": others["company"].to_numpy()[company_idx],
                    "crm_company": "",
                    "status": "",
                    "mail_domain": (
                        _ascii(others["stem"]).to_numpy()[company_idx].astype(object) + ".example"
                    ),
                }
            )
        )
    internal = pd.DataFrame(
        {
            "pool": "internal",
            "locale": rng.choice(np.array(["nl", "en", "de", "pt"], dtype=object), 14),
            "function": np.array(
                ["engineering"] * 5
                + ["operations"] * 3
                + ["finance", "hr", "executive", "executive", "marketing", "sales"],
                dtype=object,
            ),
            "company": rng.choice(
                np.array([COMPANY, "Quillmoor", "Quillmoor Software"], dtype=object),
                14,
                p=[0.5, 0.3, 0.2],
            ),
            "crm_company": "",
            "status": "internal",
            "mail_domain": _DOMAIN,
        }
    )
    people = pd.concat([crm_people, *pools, internal], ignore_index=True)
    n = len(people)
    first, last = _names(rng, people["locale"].to_numpy())
    people["first"], people["last"] = first, last
    people["title"] = _titles(
        rng,
        people["function"].to_numpy(),
        people["locale"].to_numpy(),
        people["company"].to_numpy(),
    )
    # profiles with no current position: company and title both empty
    no_job = (people["pool"] != "crm") & (people["pool"] != "internal")
    no_job &= rng.random(n) < np.where(people["pool"] == "other", 0.11, 0.025)
    people.loc[no_job, ["company", "title"]] = ""
    # a few names typed with a trailing space, as real exports show
    people.loc[rng.random(n) < 0.012, "first"] += " "
    people.loc[rng.random(n) < 0.008, "last"] += " "
    # profile slugs: first-last-hex, or a vanity slug; unique
    full = pd.Series(first, dtype=object) + " " + pd.Series(last, dtype=object)
    stem = _ascii(full.astype("str"))
    hexes = np.char.mod("%06x", rng.integers(0, 16**6, n))
    vanity = rng.random(n) < 0.15
    slug = np.where(vanity, stem.str.replace("-", "", regex=False), stem + "-" + hexes)
    slug = pd.Series(slug, dtype=object)
    while slug.duplicated().any():
        dup = slug.duplicated().to_numpy()
        slug[dup] = stem[dup] + "-" + np.char.mod("%06x", rng.integers(0, 16**6, int(dup.sum())))
    people["person_id"] = slug
    # emails: shown by a minority; at the company's domain or a personal one
    has_mail = rng.random(n) < 0.08
    work = rng.random(n) < np.where(people["pool"] == "crm", 0.85, 0.5)
    mail_first = _ascii(people["first"].astype("str")).to_numpy(dtype=object)
    mail_last = _ascii(people["last"].astype("str")).str.replace("-", "", regex=False)
    mail_last = mail_last.to_numpy(dtype=object)
    numbers = np.char.mod("%02d", rng.integers(1, 99, n)).astype(object)
    email = np.where(
        work,
        mail_first + "." + mail_last + "@" + people["mail_domain"].to_numpy(dtype=object),
        mail_first + mail_last + numbers + "@mail.example",
    )
    people["email"] = np.where(has_mail, email, "")
    people["x_followers"] = np.maximum(5, rng.lognormal(np.log(320), 1.1, n)).astype(np.int64)
    return people


def _member_rows(team: Sequence[Member]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pool": "team",
            "person_id": [m.slug for m in team],
            "first": [m.first for m in team],
            "last": [m.last for m in team],
            "title": [m.title for m in team],
            "company": [COMPANY, "Quillmoor", COMPANY, "Quillmoor Software", COMPANY, COMPANY][
                : len(team)
            ],
            "email": ["", "", "priya.raman@quillmoor.example", "", "", ""][: len(team)],
            "function": [m.function for m in team],
            "status": "internal",
            "crm_company": "",
        }
    )


def _connections(
    rng: np.random.Generator, people: pd.DataFrame, team: Sequence[Member]
) -> dict[str, pd.DataFrame]:
    """Each member's connections: mostly peers, some clients and prospects, more recently."""
    members = _member_rows(team)
    internal_pool = people.index[people["pool"] == "internal"].to_numpy()
    # colleagues connect once, on the same day in both exports
    pair_day: dict[tuple[str, str], pd.Timestamp] = {}
    for i, a in enumerate(team):
        for b in team[i + 1 :]:
            start = max(pd.Timestamp(a.joined), pd.Timestamp(b.joined))
            pair_day[(a.slug, b.slug)] = start + pd.Timedelta(days=int(rng.integers(1, 40)))
    out = {}
    for m in team:
        start, end = pd.Timestamp(m.first_connection), pd.Timestamp(m.exported_on)
        mates = [
            (o, pair_day.get((m.slug, o.slug), pair_day.get((o.slug, m.slug))))
            for o in team
            if o.slug != m.slug
        ]
        mates = [(o, d) for o, d in mates if d is not None and d <= end]
        joined = pd.Timestamp(m.joined)
        n_internal = int(rng.integers(3, 8)) if joined < end else 0
        inside = rng.choice(internal_pool, n_internal, replace=False)
        n_ext = m.connections - len(mates) - n_internal
        span = (end - start).days
        days = np.floor(rng.beta(1.5, 1.0, n_ext) * span).astype(np.int64)
        dates = start + pd.to_timedelta(np.sort(days), unit="D")
        frac = np.clip(((dates.year - 2015) + dates.day_of_year / 366) / 10, 0, 1).to_numpy()
        if m.function == "sales":
            p_buyer, p_vendor, p_peer = 0.06 + 0.2 * frac, 0.05, 0.6
            other_pools = ["other", "marketing"]
        else:
            p_buyer, p_vendor, p_peer = 0.03 + 0.06 * frac, 0.03, 0.58
            other_pools = ["other", "sales"]
        u = rng.random(n_ext)
        cat = np.where(
            u < p_buyer,
            "buyer",
            np.where(
                u < p_buyer + p_vendor,
                "vendor",
                np.where(u < p_buyer + p_vendor + p_peer, "peer", "other"),
            ),
        )
        locale_w = dict(m.locales)
        chosen = np.empty(n_ext, dtype=np.int64)
        for name, mask_pool in [
            ("buyer", people["status"].isin(["client", "prospect"])),
            ("vendor", people["status"].isin(["partner", "competitor"])),
            ("peer", people["pool"] == m.function),
            ("other", people["pool"].isin(other_pools)),
        ]:
            where = np.flatnonzero(cat == name)
            pool = people.index[mask_pool].to_numpy()
            w = people.loc[pool, "locale"].map(locale_w).fillna(0.04).to_numpy(float)
            chosen[where] = rng.choice(pool, len(where), replace=False, p=w / w.sum())
        ext = people.loc[chosen].assign(connected_on=dates.to_numpy())
        ins = people.loc[inside].assign(
            connected_on=joined + pd.to_timedelta(rng.integers(2, 200, n_internal), unit="D")
        )
        ins = ins[ins["connected_on"] <= end]
        mate_rows = members.set_index("person_id").loc[[o.slug for o, _ in mates]].reset_index()
        mate_rows["connected_on"] = [d for _, d in mates]
        conns = pd.concat([ext, ins, mate_rows], ignore_index=True)
        conns = conns.sort_values("connected_on", ascending=False, kind="stable")
        out[m.slug] = conns.reset_index(drop=True)
    return out


# -- X posts, followers and the daily overview -------------------------------------------------
def _x_follows(rng: np.random.Generator, days: pd.DatetimeIndex, bumps: np.ndarray) -> pd.DataFrame:
    t = np.arange(len(days)) / len(days)
    boost = np.zeros(len(days))
    for day, size in bumps:
        k = np.arange(len(days)) - day
        boost += np.where(k >= 0, size * np.exp(-np.clip(k, 0, None) / 1.6), 0)
    new = rng.poisson(2.0 + 3.5 * t + boost)
    lost = rng.poisson(1.1 + 0.5 * t)
    start = 2400 + np.concatenate([[0], np.cumsum(new - lost)[:-1]])
    return pd.DataFrame({"date": days, "new": new, "lost": lost, "followers_start": start})


def _x_posts(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The company's X posts with every metric, and the daily follows that go with them."""
    days = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")
    weekday = days.day_of_week.to_numpy()
    per_day = rng.poisson(np.where(weekday < 5, 0.82, 0.16))
    day_idx = np.repeat(np.arange(len(days)), per_day)
    n = len(day_idx)
    hours = np.arange(7, 22)
    hw = np.array([1, 3, 5, 5, 4, 3, 3, 4, 4, 3, 2, 1.5, 1, 1, 0.8])
    hour = rng.choice(hours, n, p=hw / hw.sum())
    minute = rng.integers(0, 60, n)
    local = (
        pd.DatetimeIndex(days[day_idx])
        + pd.to_timedelta(hour, unit="h")
        + pd.to_timedelta(minute, unit="m")
    )
    utc = local.tz_localize(_TZ).tz_convert("UTC")
    order = np.argsort(utc.asi8, kind="stable")
    utc, local, hour = utc[order], local[order], hour[order]
    ctype = rng.choice(np.array(_CONTENT_TYPES, dtype=object), n, p=[0.28, 0.32, 0.25, 0.15])
    tpl_idx = np.array([rng.integers(0, len(_POSTS[c])) for c in ctype])
    text = np.array([_POSTS[c][i] for c, i in zip(ctype, tpl_idx, strict=True)], dtype=object)

    # breakout posts: one per chosen month, on a weekday morning
    months = utc.month.to_numpy()
    is_break = np.zeros(n, dtype=bool)
    for month, kind, words in _BREAKOUTS:
        candidates = np.flatnonzero((months == month) & (local.day_of_week < 5) & (hour < 12))
        pick = candidates[rng.integers(0, len(candidates))]
        is_break[pick] = True
        ctype[pick], text[pick] = kind, words
    utc_day = ((utc.normalize().tz_localize(None) - days[0]).days).to_numpy()
    bumps = np.column_stack([utc_day[is_break], rng.uniform(40, 110, int(is_break.sum()))])
    follows = _x_follows(rng, days, bumps)
    followers = follows["followers_start"].to_numpy()[utc_day]

    # when and what: weekday and hour effects in Amsterdam time, content-type effects
    wd_rate = np.array([0.95, 1.15, 1.2, 1.1, 0.85, 0.7, 0.75])[local.day_of_week.to_numpy()]
    hr_rate = np.interp(
        hour, [7, 9, 11, 13, 15, 17, 19, 21], [1.0, 1.2, 1.2, 1.0, 0.95, 0.85, 0.75, 0.7]
    )
    slot = wd_rate * hr_rate
    type_rate = pd.Series(ctype).map({"text": 0.8, "link": 0.9, "image": 1.15, "video": 1.35})
    type_reach = pd.Series(ctype).map({"text": 0.9, "link": 0.85, "image": 1.1, "video": 1.25})
    impressions = followers * rng.lognormal(np.log(0.8), 0.5, n) * type_reach.to_numpy()
    impressions *= 1 + 0.5 * (slot - 1)
    impressions[is_break] *= rng.uniform(10, 22, int(is_break.sum()))
    rate = 0.02 * type_rate.to_numpy() * slot * rng.lognormal(0, 0.4, n)
    rate[is_break] *= 1.6
    quiet = (rng.random(n) < 0.04) & ~is_break  # posts nobody engaged with (X writes 7.3E-4)
    rate[quiet] *= 0.05
    rate = np.clip(rate, 0.0003, 0.25)

    # reposts: most posts none, a heavy tail, the breakouts in the hundreds
    p_zero = np.clip(0.78 - 6 * rate, 0.4, 0.8)
    shares = np.where(
        rng.random(n) < p_zero, 0, 1 + np.floor(rng.lognormal(np.log(2.0), 1.25, n))
    ).astype(np.int64)
    shares = np.minimum(shares, 90)
    big = np.sort(rng.uniform(120, 420, int(is_break.sum())))[::-1]
    break_rank = np.argsort(-impressions[is_break], kind="stable")
    shares_b = np.empty(int(is_break.sum()), dtype=np.int64)
    shares_b[break_rank] = big.astype(np.int64)
    shares[is_break] = shares_b

    # engagements: every other count split from the rest (X's engagements add them all)
    target = np.round(impressions * rate).astype(np.int64)
    rest = np.maximum(target - shares, 2 * shares + 1)
    components = [
        "replies",
        "likes",
        "profile",
        "url",
        "hashtag",
        "detail",
        "permalink",
        "follows",
        "media",
        "bookmarks",
        "share",
    ]
    probs = {
        "text": [0.08, 0.45, 0.12, 0.0, 0.05, 0.22, 0.04, 0.01, 0.0, 0.02, 0.01],
        "link": [0.04, 0.25, 0.08, 0.4, 0.04, 0.13, 0.03, 0.01, 0.0, 0.015, 0.005],
        "image": [0.05, 0.35, 0.08, 0.02, 0.04, 0.1, 0.02, 0.01, 0.31, 0.015, 0.005],
        "video": [0.05, 0.3, 0.07, 0.02, 0.03, 0.06, 0.02, 0.01, 0.42, 0.015, 0.005],
    }
    p = np.array([probs[c] for c in ctype])
    no_tag = ~pd.Series(text).str.contains("#", regex=False).to_numpy()
    p[no_tag, 1] += p[no_tag, 4]
    p[no_tag, 4] = 0
    legacy = months <= _LEGACY_MONTHS
    # the legacy layout has no bookmarks or DM shares; the newer one no media engagements
    p[legacy, 1] += p[legacy, 9] + p[legacy, 10]
    p[legacy, 9:] = 0
    p[~legacy, 5] += p[~legacy, 8]
    p[~legacy, 8] = 0
    p /= p.sum(axis=1, keepdims=True)
    split = rng.multinomial(rest, p)
    posts = pd.DataFrame(split, columns=components)
    posts["retweets"] = shares
    posts["engagements"] = shares + split.sum(axis=1)
    posts["impressions"] = np.maximum(
        np.round(impressions).astype(np.int64),
        np.ceil(posts["engagements"] / 0.25).astype(np.int64),
    )
    media_views = np.where(
        ctype == "video",
        np.maximum(posts["media"], np.round(posts["impressions"] * rng.uniform(0.15, 0.45, n))),
        np.where(ctype == "image", posts["media"], 0),
    )
    posts["media_views"] = media_views.astype(np.int64)
    posts["video_views"] = np.where(ctype == "video", posts["media_views"], 0)
    if (~legacy).any():  # newer exports still count views of media, in the daily overview
        posts.loc[~legacy & (ctype == "image"), "media_views"] = np.round(
            posts.loc[~legacy & (ctype == "image"), "impressions"] * 0.05
        ).astype(np.int64)

    # ids: X's snowflakes, whose top bits are the time in ms
    ms = utc.as_unit("us").asi8 // 1000 - _TWITTER_EPOCH_MS + rng.integers(0, 59_999, n)
    ids = (ms.astype(np.int64) << 22) | rng.integers(0, 1 << 22, n)
    # texts: t.co links, HTML-escaped ampersands as both layouts write them
    parts = pd.Series(text).str.split("{link}", n=1, regex=False)
    before, after = parts.str[0], parts.str[1].fillna("")
    has_link = parts.str.len().to_numpy() > 1
    link = np.where(has_link, "https://t.co/" + pd.Series(_codes(rng, n)), "")
    full = (before + link + after).str.replace("&", "&amp;", regex=False)

    posts["post_id"] = ids.astype(str)
    posts["time"] = utc
    posts["utc_day"] = ((utc.normalize().tz_localize(None) - days[0]).days).to_numpy()
    posts["ctype"] = ctype
    posts["text"] = full.to_numpy(dtype=object)
    posts["breakout"] = is_break
    posts["legacy"] = legacy
    posts["followers"] = followers
    return posts, follows


def _overview(rng: np.random.Generator, posts: pd.DataFrame, follows: pd.DataFrame) -> pd.DataFrame:
    """X's daily account overview, from the posts' own numbers spread over a few days."""
    n_days = len(follows)
    day = posts["utc_day"].to_numpy()
    shares = (0.74, 0.18, 0.08)

    def spread(values: pd.Series) -> np.ndarray:
        return _spread(day, values.to_numpy(np.int64), shares, n_days)

    bookmarks = np.where(
        posts["legacy"], rng.binomial(posts["likes"].to_numpy(), 0.05), posts["bookmarks"]
    )
    dm_shares = np.where(
        posts["legacy"], rng.binomial(posts["likes"].to_numpy(), 0.02), posts["share"]
    )
    baseline = rng.poisson(35, n_days)
    hidden = spread(
        posts["url"] + posts["hashtag"] + posts["detail"] + posts["permalink"] + posts["media"]
    )
    out = pd.DataFrame(
        {
            "Date": follows["date"],
            "Impressions": spread(posts["impressions"]) + baseline,
            "Likes": spread(posts["likes"]),
            "Bookmarks": spread(pd.Series(bookmarks)),
            "Shares": spread(pd.Series(dm_shares)),
            "New follows": follows["new"].to_numpy(),
            "Unfollows": follows["lost"].to_numpy(),
            "Replies": spread(posts["replies"]),
            "Reposts": spread(posts["retweets"]),
            "Profile visits": spread(posts["profile"]) + rng.poisson(2, n_days),
            "Create Post": np.bincount(day, minlength=n_days),
            "Video views": spread(posts["video_views"]),
            "Media views": spread(posts["media_views"]),
        }
    )
    listed = ["Likes", "Bookmarks", "Shares", "New follows", "Replies", "Reposts", "Profile visits"]
    out["Engagements"] = out[listed].sum(axis=1) + hidden
    return out


# -- LinkedIn page -----------------------------------------------------------------------------
def _page_followers_base(
    rng: np.random.Generator, days: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """Daily organic gains before any post's follows, and the launch week's auto-invites."""
    n = len(days)
    weekday = days.day_of_week.to_numpy()
    t = np.arange(n) / n
    auto = np.zeros(n, dtype=np.int64)
    auto[5:10] = [25, 18, 12, 6, 4]  # the launch week: admins invited their networks
    organic_base = rng.poisson(1.5 + 7 * t * np.where(weekday < 5, 1.1, 0.6))
    return organic_base.astype(np.int64), auto


def _linkedin_posts(
    rng: np.random.Generator, days: pd.DatetimeIndex, followers_before: np.ndarray
) -> pd.DataFrame:
    """The page's posts with their lifetime numbers, as LinkedIn's 'All posts' sheet has them.

    About 120 posts, on weekdays from the launch week to the Christmas break; content types
    with their own typical rates; two posts that travelled far (March and September).
    ``followers_before`` is the page's follower count at the start of each day.
    """
    n_days = len(days)
    weekday = days.day_of_week.to_numpy()
    open_days = (np.arange(n_days) >= _PAGE_OPENED) & (days < pd.Timestamp(f"{YEAR}-12-22"))
    per_day = rng.poisson(np.where(weekday < 5, 0.58, 0.02) * open_days)
    day = np.repeat(np.arange(n_days), per_day)
    kinds = np.array(_LI_TYPES, dtype=object)
    ctype = rng.choice(kinds, len(day), p=_LI_TYPE_P)
    breakout = np.zeros(len(day), dtype=bool)
    for month, kind in _LI_BREAKOUTS:  # the second Wednesday of the month
        d = int(np.flatnonzero((days.month == month) & (weekday == 2))[1])
        day, ctype = np.append(day, d), np.append(ctype, kind)
        breakout = np.append(breakout, True)
    order = np.argsort(day, kind="stable")
    day, ctype, breakout = day[order], ctype[order], breakout[order]
    n = len(day)
    rates = np.array([_LI_RATES[c] for c in ctype])  # likes, comments, reposts, clicks, reach
    reach = (150 + 1.0 * followers_before[day]) * rng.lognormal(0, 0.5, n) * rates[:, 4]
    reach[breakout] *= 9
    impressions = np.maximum(np.round(reach), 20).astype(np.int64)
    quality = rng.lognormal(0, 0.3, n) * np.where(breakout, 1.3, 1.0)
    p = np.clip(rates[:, :4] * quality[:, None], 0, 0.5)
    likes = rng.binomial(impressions, p[:, 0])
    comments = rng.binomial(impressions, p[:, 1])
    reposts = rng.binomial(impressions, p[:, 2])
    clicks = rng.binomial(impressions, p[:, 3])
    follows = rng.binomial(impressions, 0.0015 * quality)
    video = ctype == "video"
    views = np.where(video, rng.binomial(impressions, 0.42), -1)
    offsite = np.where(video, rng.binomial(impressions, 0.015), -1)
    # publication times (Amsterdam office hours) live in the URN, as LinkedIn's ids hold them
    hour = rng.integers(8, 17, n)
    local = (
        days[day]
        + pd.to_timedelta(hour, unit="h")
        + pd.to_timedelta(rng.integers(0, 60, n), unit="m")
    )
    utc = pd.DatetimeIndex(local).tz_localize(_TZ).tz_convert("UTC")
    ms = utc.as_unit("us").asi8 // 1000 + rng.integers(0, 59_999, n)
    ids = (ms.astype(np.int64) << 22) | rng.integers(0, 1 << 22, n)
    title_idx = np.array([rng.integers(0, len(_LI_TITLES[c])) for c in ctype])
    titles = np.array(
        [_LI_TITLES[c][i] for c, i in zip(ctype, title_idx, strict=True)], dtype=object
    )
    for (month, _), words in zip(_LI_BREAKOUTS, _LI_BREAKOUT_TITLES, strict=True):
        titles[breakout & (days[day].month == month)] = words
    by = rng.choice(np.array(_POSTED_BY, dtype=object), n, p=[0.8, 0.2])
    return pd.DataFrame(
        {
            "day": day,
            "activity": ids.astype(str),
            "ctype": ctype,
            "title": titles,
            "posted_by": by,
            "impressions": impressions,
            "views": views,
            "offsite": offsite,
            "clicks": clicks,
            "likes": likes,
            "comments": comments,
            "reposts": reposts,
            "follows": follows,
            "breakout": breakout,
        }
    )


def _linkedin_page(
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """The page's daily content metrics, follower gains and posts (the page opened in January).

    Consistent with each other: each post's impressions, clicks, reactions, comments and
    reposts are counted in the daily totals over the four days after it went out (more on
    the first day), on top of a small daily baseline (older posts, the page itself); each
    day's organic follower gain includes the follows that day's posts earned.
    """
    days = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")
    n = len(days)
    organic_base, auto = _page_followers_base(rng, days)
    before = np.concatenate([[0], np.cumsum(organic_base + auto)[:-1]])
    posts = _linkedin_posts(rng, days, before)
    day = posts["day"].to_numpy()
    shares = (0.55, 0.28, 0.11, 0.06)

    def spread(column: str) -> np.ndarray:
        return _spread(day, posts[column].to_numpy(np.int64), shares, n)

    baseline = rng.poisson(10 + 0.012 * before)
    impressions = spread("impressions") + baseline
    noise = np.clip(rng.lognormal(0, 0.3, n), 0.3, 2.5)
    clicks = spread("clicks") + rng.binomial(baseline, np.clip(0.03 * noise, 0, 1))
    reactions = spread("likes") + rng.binomial(baseline, np.clip(0.025 * noise, 0, 1))
    comments = spread("comments") + rng.binomial(baseline, 0.003)
    reposts = spread("reposts") + rng.binomial(baseline, 0.002)
    unique = rng.binomial(impressions, rng.uniform(0.42, 0.62, n))
    # LinkedIn's corrections: a few negative daily values, on quiet days no post reached
    untouched = np.ones(n, dtype=bool)
    untouched[np.add.outer(day, np.arange(len(shares))).ravel().clip(0, n - 1)] = False
    quiet = np.flatnonzero(
        untouched & (impressions < np.quantile(impressions, 0.5)) & (days.month > 1)
    )
    fix = np.sort(rng.choice(quiet, 4, replace=False))
    reactions[fix[0]], comments[fix[1]], reposts[fix[2]], reactions[fix[3]] = -1, -1, -2, -1
    corrections = [
        f"LinkedIn page content, {days[fix[0]]:%Y-%m-%d}: reactions -1",
        f"LinkedIn page content, {days[fix[1]]:%Y-%m-%d}: comments -1",
        f"LinkedIn page content, {days[fix[2]]:%Y-%m-%d}: reposts -2",
        f"LinkedIn page content, {days[fix[3]]:%Y-%m-%d}: reactions -1",
    ]
    total = clicks + reactions + comments + reposts
    rate = total / impressions
    zero = np.zeros(n, dtype=np.int64)
    content = pd.DataFrame(
        {
            "Date": days.strftime("%Y-%m-%d"),
            "Impressions (organic)": impressions,
            "Impressions (sponsored)": zero,
            "Impressions (total)": impressions,
            "Unique impressions (organic)": unique,
            "Clicks (organic)": clicks,
            "Clicks (sponsored)": zero,
            "Clicks (total)": clicks,
            "Reactions (organic)": reactions,
            "Reactions (sponsored)": zero,
            "Reactions (total)": reactions,
            "Comments (organic)": comments,
            "Comments (sponsored)": zero,
            "Comments (total)": comments,
            "Reposts (organic)": reposts,
            "Reposts (sponsored)": zero,
            "Reposts (total)": reposts,
            "Engagement rate (organic)": _g15(rate),
            "Engagement rate (sponsored)": "0",
            "Engagement rate (total)": _g15(rate),
            "Total Engagement": total,
        }
    )
    # followers: the day's gain includes the follows its posts earned
    organic = organic_base + np.bincount(day, weights=posts["follows"], minlength=n).astype(
        np.int64
    )
    no_post = np.bincount(day, minlength=n) == 0
    lost_days = np.sort(rng.choice(np.flatnonzero((organic <= 2) & no_post), 3, replace=False))
    organic[lost_days] = -1
    corrections += [f"LinkedIn page followers, {days[d]:%Y-%m-%d}: organic -1" for d in lost_days]
    gained = organic + auto
    avg = pd.Series(gained).rolling(7, min_periods=1).mean().round(2)
    followers = pd.DataFrame(
        {
            "Date": days.strftime("%Y-%m-%d"),
            "Sponsored followers": zero,
            "Organic followers": organic,
            "Auto-invited followers": auto,
            "Total followers": gained,
            "Cumulative Followers": np.cumsum(gained),
            "Followers 7d Avg": [repr(float(v)) for v in avg],
        }
    )
    return content, followers, posts, corrections


# -- follower totals and peer accounts -----------------------------------------------------------
def _x_follower_totals(follows: pd.DataFrame) -> pd.DataFrame:
    """The X account's follower total at the end of each day, as the analyst recorded it.

    X's exports give only the day's follows and unfollows; the totals follow from them:
    ``followers[t] = followers[t - 1] + new_followers[t] - lost_followers[t]``.
    """
    end = follows["followers_start"] + follows["new"] - follows["lost"]
    return pd.DataFrame(
        {
            "account": X_HANDLE,
            "platform": "x",
            "date": follows["date"].dt.strftime("%Y-%m-%d"),
            "followers": end.astype(np.int64),
            "new_followers": follows["new"].astype(np.int64),
            "lost_followers": follows["lost"].astype(np.int64),
        }
    )


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx = pd.Series(x).rank().to_numpy()
    ry = pd.Series(y).rank().to_numpy()
    return float(np.corrcoef(rx, ry)[0, 1])


def _own_profile(platform: str, account: str, followers: int, counts: pd.DataFrame) -> dict:
    """A profile row of the company's own account, from its posts (likes, comments, shares)."""
    interactions = counts[["likes", "comments", "shares"]].to_numpy().sum()
    return {
        "platform": platform,
        "account": account,
        "followers": int(followers),
        "posts": len(counts),
        "avg_likes": round(float(counts["likes"].mean()), 1),
        "avg_comments": round(float(counts["comments"].mean()), 1),
        "avg_shares": round(float(counts["shares"].mean()), 1),
        "engagement_rate": round(float(interactions / counts["impressions"].sum()), 4),
    }


def _peer_profiles(
    rng: np.random.Generator, own: Sequence[dict[str, object]], attempts: int = 500
) -> pd.DataFrame:
    """About 30 peer accounts, and the company's own, in the canonical profiles table.

    Audiences span three orders of magnitude; average likes grow only weakly with them
    (Spearman's rho between 0.2 and 0.4: the follower fallacy) and the engagement rate per
    impression not at all (|rho| < 0.1). Drawn again until the figures tell that story.
    """
    names = np.array([p[1] for p in _PEERS], dtype=object)
    tiers = np.array([p[3] for p in _PEERS], dtype=object)
    lo = pd.Series(tiers).map({k: v[0] for k, v in _PEER_TIERS.items()}).to_numpy(float)
    hi = pd.Series(tiers).map({k: v[1] for k, v in _PEER_TIERS.items()}).to_numpy(float)
    own_frame = pd.DataFrame(list(own))
    n = len(names)
    for _ in range(attempts):
        followers = np.round(np.exp(rng.uniform(np.log(lo), np.log(hi)))).astype(np.int64)
        z = (np.log(followers) - np.log(followers).mean()) / np.log(followers).std()
        avg_likes = np.round(np.exp(np.log(24) + 0.3 * z + rng.normal(0, 0.95, n)), 1)
        peers = pd.DataFrame(
            {
                "platform": [p[0] for p in _PEERS],
                "account": names,
                "followers": followers,
                "posts": rng.integers(35, 420, n),
                "avg_likes": np.maximum(avg_likes, 0.3),
                "avg_comments": np.round(avg_likes * rng.uniform(0.04, 0.18, n), 1),
                "avg_shares": np.round(avg_likes * rng.uniform(0.02, 0.15, n), 1),
                "engagement_rate": np.round(rng.lognormal(np.log(0.025), 0.45, n), 4),
            }
        )
        table = pd.concat([own_frame, peers], ignore_index=True)
        size = table["followers"].to_numpy(float)
        rho_likes = _spearman(size, table["avg_likes"].to_numpy(float))
        rho_rate = _spearman(size, table["engagement_rate"].to_numpy(float))
        if 0.2 <= rho_likes <= 0.4 and abs(rho_rate) < 0.1 and size.max() / size.min() >= 1000:
            return table
    raise RuntimeError(
        "no draw of the peer accounts told the follower-fallacy story"
    )  # pragma: no cover


# -- reshare cascades --------------------------------------------------------------------------
def _tree(rng: np.random.Generator, size: int, style: str) -> np.ndarray:
    """Parent index of each node (node 0 is the original post), in order of arrival."""
    i = np.arange(1, size + 1)
    u = rng.random(size)
    if style == "broadcast":  # almost everyone from the original
        parent = np.where(u < 0.88, 0, np.floor(rng.random(size) * i))
    elif style == "hubs":  # a few early resharers carry most of it
        parent = np.where(u < 0.3, 0, np.floor(i * rng.random(size) ** 2.2))
    elif style == "relay":  # a chain of relays, each with its own audience
        k = min(size, int(rng.integers(6, 10)))
        relay = np.minimum(np.floor(rng.random(size) * k), i - 1)
        parent = np.where(i <= k, i - 1, relay + np.where(rng.random(size) < 0.25, 0, 1))
        parent = np.minimum(parent, np.minimum(i - 1, k))
    else:  # chain: each reshare from one of the last few
        back = 1 + np.floor(rng.exponential(1.2, size))
        parent = np.where(u < 0.12, 0, np.maximum(0, i - back))
    return np.concatenate([[-1], parent.astype(np.int64)])


def _depths(parent: np.ndarray) -> np.ndarray:
    depth = np.zeros(len(parent), dtype=np.int64)
    for _ in range(len(parent)):
        new = np.where(parent >= 0, depth[np.maximum(parent, 0)] + 1, 0)
        if np.array_equal(new, depth):
            break
        depth = new
    return depth


def _cascades(
    rng: np.random.Generator,
    posts: pd.DataFrame,
    people: pd.DataFrame,
    connections: dict[str, pd.DataFrame],
    team: Sequence[Member],
) -> pd.DataFrame:
    """Every share of every X post, as who reshared it from whom and when."""
    slugs = np.array([m.slug for m in team], dtype=object)
    team_w = np.array([0.2, 0.15, 0.12, 0.15, 0.08, 0.3])[: len(team)]
    team_w = team_w / team_w.sum()
    # people the analysis can recognise: those of exports that give profile URLs
    linked = [connections[m.slug] for m in team if not m.older_format]
    known = pd.concat([c[["person_id", "x_followers", "status"]] for c in linked])
    known = known.dropna().drop_duplicates("person_id")
    known = known[~known["person_id"].isin(slugs)].sort_values("person_id")
    pool_ids = known["person_id"].to_numpy(dtype=object)
    # clients' and prospects' people follow the company, so they reshare it more often
    pool_w = np.where(known["status"].isin(["client", "prospect"]), 3.0, 1.0)
    pool_w = pd.Series(pool_w / pool_w.sum(), index=pool_ids)
    by_member = {
        m.slug: np.sort(
            np.intersect1d(
                connections[m.slug]["person_id"].to_numpy(dtype=str), pool_ids.astype(str)
            )
        ).astype(object)
        for m in team
    }
    n_strangers = 6000
    strangers = np.unique(rng.integers(10**7, 2 * 10**18, n_strangers)).astype(str).astype(object)
    rng.shuffle(strangers)
    s_weights = 1 / np.arange(1, len(strangers) + 1) ** 0.8
    s_weights /= s_weights.sum()
    followers = pd.concat(
        [
            pd.Series(known["x_followers"].to_numpy(), index=pool_ids),
            pd.Series([m.x_followers for m in team], index=slugs),
            pd.Series(
                np.maximum(3, rng.lognormal(np.log(180), 1.5, len(strangers))).astype(np.int64),
                index=strangers,
            ),
        ]
    )
    styles = np.array(["broadcast", "hubs", "relay", "chain"], dtype=object)
    legacy = posts.reset_index(drop=True)  # every X post, both export layouts
    break_styles = iter(["hubs", "broadcast", "relay", "hubs"])
    style_of = rng.choice(styles, len(legacy), p=[0.5, 0.2, 0.1, 0.2])
    style_of[legacy["retweets"].to_numpy() < 4] = "broadcast"
    ordinary = legacy["retweets"].where(~legacy["breakout"], -1)
    largest = np.argsort(-ordinary.to_numpy(), kind="stable")
    style_of[largest[0]], style_of[largest[1]] = "chain", "broadcast"  # both shapes, for sure
    frames = []
    for post in legacy.itertuples():  # one cascade per post: each is vectorised inside
        root_time = post.time
        size = int(post.retweets)
        user = np.array([X_HANDLE], dtype=object)
        parent = np.array([-1])
        times = np.array([root_time.value // 1000], dtype=np.int64)
        if size:
            if post.breakout:
                style = next(break_styles, "hubs")
            else:
                style = style_of[post.Index]
            parent = _tree(rng, size, style)
            depth = _depths(parent)
            user, cat = _assign_users(
                rng,
                parent,
                depth,
                slugs,
                team_w,
                by_member,
                pool_w,
                strangers,
                s_weights,
                big=bool(post.breakout),
            )
            scale = 0.5 if post.breakout else 1.0
            delay_min = (
                np.where(
                    depth == 1,
                    np.where(
                        cat == "team",
                        rng.lognormal(np.log(15), 0.8, len(depth)),
                        rng.lognormal(np.log(50), 1.3, len(depth)),
                    ),
                    rng.lognormal(np.log(30), 1.2, len(depth)),
                )
                * scale
            )
            delay = np.round(np.minimum(delay_min, 30 * 24 * 60) * 60).astype(np.int64) + 1
            times = np.full(len(parent), root_time.value // 1000, dtype=np.int64)
            for d in range(1, int(depth.max()) + 1):  # one pass per generation
                at = np.flatnonzero(depth == d)
                times[at] = times[parent[at]] + delay[at] * 1_000_000
        parent_user = np.where(parent > 0, user[np.maximum(parent, 0)], "")
        parent_user[0] = ""
        frames.append(
            pd.DataFrame(
                {
                    "post_id": post.post_id,
                    "user_id": user,
                    "action": np.where(parent < 0, "post", "share"),
                    "t": times,
                    "parent_user_id": parent_user,
                    "depth": np.where(parent < 0, 0, _depths(parent)),
                    "user_followers": np.concatenate(
                        [[post.followers], followers.reindex(user[1:]).to_numpy()]
                    ).astype(np.int64),
                }
            )
        )
    events = pd.concat(frames, ignore_index=True)
    events["platform"] = "x"
    events["author_id"] = X_HANDLE
    return events


def _assign_users(
    rng: np.random.Generator,
    parent: np.ndarray,
    depth: np.ndarray,
    slugs: np.ndarray,
    team_w: np.ndarray,
    by_member: dict[str, np.ndarray],
    pool_w: pd.Series,
    strangers: np.ndarray,
    s_weights: np.ndarray,
    big: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Who each node is: team members first, then their connections, others, strangers."""
    n = len(parent)
    cat = np.full(n, "stranger", dtype=object)
    cat[0] = "root"
    owner = np.full(n, "", dtype=object)  # for a member's connection: the member
    # the team reshares early, and its reshares are the ones that travel on
    subtree = np.ones(n, dtype=np.int64)
    for d in range(int(depth.max()), 0, -1):
        at = np.flatnonzero(depth == d)
        np.add.at(subtree, parent[at], subtree[at])
    p_pool = 0.2 if big else 0.25
    for d in range(1, int(depth.max()) + 1):
        at = np.flatnonzero(depth == d)
        u = rng.random(len(at))
        if d == 1:
            rank = np.empty(len(at), dtype=np.int64)
            rank[np.argsort(-subtree[at], kind="stable")] = np.arange(len(at))
            carriers = (rank < (2 if big else 3)) & (subtree[at] > 1)
            p_team = np.where(carriers, 0.45 if big else 0.6, 0.03 if big else 0.25)
            p_known = np.where(carriers & big, 0.45, p_pool)
            cat[at] = np.where(
                u < p_team, "team", np.where(u < p_team + p_known, "pool", "stranger")
            )
            continue
        pc = cat[parent[at]]
        from_team = pc == "team"
        cat[at] = np.where(
            from_team,
            np.where(u < 0.7, "conn", np.where(u < 0.8, "pool", "stranger")),
            np.where(
                np.isin(pc, ["pool", "conn"]),
                np.where(u < 0.3, "pool", "stranger"),
                np.where(u < 0.08, "pool", "stranger"),
            ),
        )
    user = np.full(n, "", dtype=object)
    user[0] = X_HANDLE
    # team members: each at most once
    team_at = np.flatnonzero(cat == "team")
    k = min(len(team_at), len(slugs))
    user[team_at[:k]] = rng.choice(slugs, k, replace=False, p=team_w)
    cat[team_at[k:]] = "stranger"
    used = set(user[team_at[:k]])
    # connections of the member they reshared from
    conn_at = np.flatnonzero(cat == "conn")
    owner[conn_at] = user[parent[conn_at]]
    for member in np.unique(owner[conn_at].astype(str)):
        at = conn_at[owner[conn_at] == member]
        if member == "":  # a team node was demoted to stranger: its children are others
            cat[at] = "pool"
            continue
        free = by_member[member][~np.isin(by_member[member], list(used))]
        k = min(len(at), len(free))
        user[at[:k]] = rng.choice(free, k, replace=False)
        cat[at[k:]] = "pool"
        used.update(user[at[:k]])
    pool_at = np.flatnonzero(cat == "pool")
    free = pool_w[~pool_w.index.isin(list(used))]
    k = min(len(pool_at), len(free))
    user[pool_at[:k]] = rng.choice(
        free.index.to_numpy(dtype=object), k, replace=False, p=free.to_numpy() / free.sum()
    )
    cat[pool_at[k:]] = "stranger"
    s_at = np.flatnonzero(cat == "stranger")
    user[s_at] = rng.choice(strangers, len(s_at), replace=False, p=s_weights)
    return user, cat


def _plant_defects(
    rng: np.random.Generator, events: pd.DataFrame, breakouts: set[str]
) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    """A repeated reshare, a self-loop, a reshare before its parent, one with a lost parent."""
    sizes = events[events["action"] == "share"].groupby("post_id", sort=False).size()
    eligible = [p for p in sizes[(sizes >= 8) & (sizes <= 70)].index if p not in breakouts]
    deepest = events.groupby("post_id", sort=False)["depth"].max()
    deep = np.array([p for p in eligible if deepest[p] >= 2], dtype=object)
    late = rng.choice(deep, 2, replace=False)  # these two need reshares of reshares
    rest = np.array([p for p in eligible if p not in set(late)], dtype=object)
    chosen = np.concatenate([rng.choice(rest, 2, replace=False), late])
    events = events.copy()
    defects = []
    extra = []
    # 1. the same reshare twice (overlapping downloads)
    rows = events.index[(events["post_id"] == chosen[0]) & (events["action"] == "share")]
    dup = events.loc[[rows[int(rng.integers(0, len(rows)))]]]
    extra.append(dup)
    defects.append(
        {"defect": "duplicate reshare", "post_id": chosen[0], "user_id": dup["user_id"].item()}
    )
    # 2. a self-loop: someone recorded as resharing from themselves
    rows = events.index[(events["post_id"] == chosen[1]) & (events["action"] == "share")]
    loop = events.loc[[rows[int(rng.integers(0, len(rows)))]]].copy()
    loop["parent_user_id"] = loop["user_id"]
    loop["t"] += 180 * 1_000_000
    extra.append(loop)
    defects.append({"defect": "self-loop", "post_id": chosen[1], "user_id": loop["user_id"].item()})
    # 3. a reshare timed before the reshare it came from (clock skew)
    times = events.set_index(["post_id", "user_id"])["t"]
    cands = events.index[
        (events["post_id"] == chosen[2])
        & (events["depth"] >= 2)
        & ~events["user_id"].isin(events.loc[events["post_id"] == chosen[2], "parent_user_id"])
    ]
    if len(cands) == 0:
        cands = events.index[(events["post_id"] == chosen[2]) & (events["depth"] >= 2)]
    row = cands[int(rng.integers(0, len(cands)))]
    parent_t = times[(chosen[2], events.at[row, "parent_user_id"])]
    root_t = times[(chosen[2], X_HANDLE)]
    gap = max(60, min(50 * 60, (parent_t - root_t) // 1_000_000 // 2))
    events.at[row, "t"] = parent_t - int(gap) * 1_000_000
    defects.append(
        {
            "defect": "reshare before its parent",
            "post_id": chosen[2],
            "user_id": events.at[row, "user_id"],
        }
    )
    # 4. a reshare whose parent is not in the cascade (a deleted account)
    in_post = events["post_id"] == chosen[3]
    leaf = ~events["user_id"].isin(events.loc[in_post, "parent_user_id"])
    cands = events.index[in_post & leaf & (events["depth"] >= 2)]
    if len(cands) == 0:
        cands = events.index[in_post & leaf & (events["action"] == "share")]
    row = cands[int(rng.integers(0, len(cands)))]
    ghost = str(int(rng.integers(10**7, 10**17)))
    events.at[row, "parent_user_id"] = ghost
    defects.append(
        {
            "defect": "parent not in the cascade",
            "post_id": chosen[3],
            "user_id": events.at[row, "user_id"],
        }
    )
    events = pd.concat([events, *extra], ignore_index=True)
    return events, defects


# -- writing the files, in the platforms' own layouts ---------------------------------------------
def _write(
    path: Path, text: str, *, trailing_newline: bool = True, raw: bytes | None = None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not trailing_newline:
        text = text.rstrip("\n")
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))


def _linkedin_date(dates: pd.Series) -> pd.Series:
    months = np.array(_MONTHS, dtype=object)[dates.dt.month.to_numpy() - 1]
    return dates.dt.strftime("%d") + " " + months + " " + dates.dt.strftime("%Y")


def _old_linkedin_date(dates: pd.Series) -> pd.Series:
    months = np.array(_MONTHS, dtype=object)[dates.dt.month.to_numpy() - 1]
    return dates.dt.strftime("%d") + "-" + months + "-" + dates.dt.strftime("%y")


def _write_connections(path: Path, conns: pd.DataFrame, older: bool) -> tuple[int, str]:
    """One member's Connections.csv; returns the rows written and a note on its quirks."""
    frame = pd.DataFrame(
        {
            "First Name": conns["first"],
            "Last Name": conns["last"],
            "URL": "https://www.linkedin.com/in/" + conns["person_id"].astype(str),
            "Email Address": conns["email"].fillna(""),
            "Company": conns["company"].fillna(""),
            "Position": conns["title"].fillna(""),
            "Connected On": (_old_linkedin_date if older else _linkedin_date)(
                pd.to_datetime(conns["connected_on"]).astype("datetime64[us]")
            ),
        }
    )
    if not older:
        text = _NOTES + _csv_text(frame.columns, _rows(frame, frame.columns))
        _write(path, text, trailing_newline=False)
        return len(frame), ""
    columns = [c for c in frame.columns if c != "URL"]
    lines = _csv_text(columns, _rows(frame, columns)).split("\n")
    # an old Windows export: CRLF, and one row saved in Latin-1 (not valid UTF-8)
    row = next(
        i
        for i, line in enumerate(lines[1:], start=1)
        if any(ch in line.split(",")[1] for ch in "üéèöäçñ")
        and line.isprintable()
        and _latin1(line)
    )
    data = (
        b"\r\n".join(
            line.encode("latin-1") if i == row else line.encode("utf-8")
            for i, line in enumerate(lines)
        ).rstrip(b"\r\n")
        + b"\r\n"
    )
    _write(path, "", raw=data)
    return len(frame), f"row {row + 1} ({lines[row].split(',')[1]}) is in Latin-1, not UTF-8"


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _floats(values: pd.Series) -> pd.Series:
    return values.astype(np.int64).astype(str) + ".0"


def _write_tweet_activity(folder: Path, posts: pd.DataFrame) -> list[tuple[str, int]]:
    legacy = posts[posts["legacy"]].sort_values("time", ascending=False, kind="stable")
    ints = lambda col: legacy[col].astype(np.int64).astype(str)  # noqa: E731
    zero = pd.Series("0", index=legacy.index)
    frame = pd.DataFrame(
        {
            "Tweet id": legacy["post_id"],
            "Tweet permalink": f"https://twitter.com/{X_HANDLE}/status/" + legacy["post_id"],
            "Tweet text": legacy["text"],
            "time": legacy["time"].dt.strftime("%Y-%m-%d %H:%M +0000"),
            "impressions": _floats(legacy["impressions"]),
            "engagements": _floats(legacy["engagements"]),
            "engagement rate": _java_double(
                (legacy["engagements"] / legacy["impressions"]).to_numpy()
            ),
            "retweets": _floats(legacy["retweets"]),
            "replies": _floats(legacy["replies"]),
            "likes": _floats(legacy["likes"]),
            "user profile clicks": _floats(legacy["profile"]),
            "url clicks": _floats(legacy["url"]),
            "hashtag clicks": _floats(legacy["hashtag"]),
            "detail expands": _floats(legacy["detail"]),
            "permalink clicks": _floats(legacy["permalink"]),
            "app opens": zero,
            "app installs": zero,
            "follows": ints("follows"),
            "email tweet": zero,
            "dial phone": zero,
            "media views": ints("media_views"),
            "media engagements": ints("media"),
        }
    )
    for col in _TWEET_COLUMNS[22:]:
        frame[col] = "-"
    written = []
    month = legacy["time"].dt.month
    for m in range(1, _LEGACY_MONTHS + 1):
        start = f"{YEAR}{m:02d}01"
        end = f"{YEAR}{m + 1:02d}01" if m < 12 else f"{YEAR + 1}0101"
        name = f"tweet_activity_metrics_{X_HANDLE}_{start}_{end}_en.csv"
        part = frame[(month == m).to_numpy()]
        _write(
            folder / name,
            _csv_text(_TWEET_COLUMNS, _rows(part, _TWEET_COLUMNS), quoting=csv.QUOTE_ALL),
        )
        written.append((name, len(part)))
    return written


def _x_date(times: pd.Series) -> pd.Series:
    days = np.array(_DAYS, dtype=object)[times.dt.day_of_week.to_numpy()]
    months = np.array(_MONTHS, dtype=object)[times.dt.month.to_numpy() - 1]
    return days + " " + months + " " + times.dt.strftime("%d") + " " + times.dt.strftime("%Y")


def _write_content(folder: Path, posts: pd.DataFrame) -> tuple[str, int]:
    recent = posts[~posts["legacy"]].sort_values("time", ascending=False, kind="stable")
    frame = pd.DataFrame(
        {
            "Post id": recent["post_id"],
            "Date": _x_date(recent["time"]),
            "Post text": recent["text"].str.replace("\n", " ", regex=False),
            "Link": f"https://x.com/{X_HANDLE}/status/" + recent["post_id"],
            "Impressions": recent["impressions"],
            "Likes": recent["likes"],
            "Engagements": recent["engagements"],
            "Bookmarks": recent["bookmarks"],
            "Share": recent["share"],
            "New follows": recent["follows"],
            "Replies": recent["replies"],
            "Reposts": recent["retweets"],
            "Profile visits": recent["profile"],
            "Detail expands": recent["detail"],
            "Url clicks": recent["url"],
            "Hashtag clicks": recent["hashtag"],
            "Permalink clicks": recent["permalink"],
        }
    )
    name = f"{X_HANDLE}_account_analytics_content_{YEAR}1101_{YEAR}1231.csv"
    _write(folder / name, _csv_text(_CONTENT_COLUMNS, _rows(frame, _CONTENT_COLUMNS)))
    return name, len(frame)


def _write_overview(folder: Path, overview: pd.DataFrame) -> tuple[str, int]:
    frame = overview.iloc[::-1].copy()
    dates = frame["Date"]
    days = np.array(_DAYS, dtype=object)[dates.dt.day_of_week.to_numpy()]
    months = np.array(_MONTHS, dtype=object)[dates.dt.month.to_numpy() - 1]
    frame["Date"] = (
        days + ", " + months + " " + dates.dt.day.astype(str) + ", " + dates.dt.strftime("%Y")
    )
    name = f"{X_HANDLE}_account_overview_analytics.csv"
    text = _csv_text(_OVERVIEW_COLUMNS, _rows(frame, _OVERVIEW_COLUMNS))
    _write(folder / name, text, trailing_newline=False)
    return name, len(frame)


def _write_events(path: Path, events: pd.DataFrame, posts: pd.DataFrame) -> int:
    order = pd.Series(np.arange(len(posts)), index=posts["post_id"].to_numpy())
    frame = events.assign(
        _post=order.reindex(events["post_id"]).to_numpy(),
        _share=(events["action"] == "share").astype(int),
    ).sort_values(["_post", "_share", "t"], kind="stable")
    frame["occurred_at"] = pd.to_datetime(frame["t"], unit="us", utc=True).dt.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    frame["user_followers"] = frame["user_followers"].astype(np.int64).astype(str)
    _write(path, _csv_text(_EVENT_COLUMNS, _rows(frame, _EVENT_COLUMNS)))
    return len(frame)


def _write_crm(path: Path, crm: pd.DataFrame) -> int:
    columns = ["company", "status", "aliases", "domain"]
    _write(path, _csv_text(columns, _rows(crm, columns)))
    return len(crm)


_XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PKG = "http://schemas.openxmlformats.org/package/2006"
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _xlsx_column(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xlsx_cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, float | np.floating):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
    text = xml_escape(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """A minimal .xlsx workbook (inline strings, one default style), byte for byte the same
    on every machine: fixed zip times, no compression, no creation date."""
    parts: dict[str, str] = {}
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_XLSX_TYPE}.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["[Content_Types].xml"] = (
        f'{head}<Types xmlns="{_XLSX_PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_XLSX_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_XLSX_TYPE}.styles+xml"/>'
        f"{overrides}</Types>"
    )
    parts["_rels/.rels"] = (
        f'{head}<Relationships xmlns="{_XLSX_PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{_XLSX_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    entries = "".join(
        f'<sheet name="{xml_escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    parts["xl/workbook.xml"] = (
        f'{head}<workbook xmlns="{_XLSX_NS}" xmlns:r="{_XLSX_REL}"><sheets>{entries}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_XLSX_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{head}<Relationships xmlns="{_XLSX_PKG}/relationships">{rels}'
        f'<Relationship Id="rId{len(sheets) + 1}" Type="{_XLSX_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    parts["xl/styles.xml"] = (
        f'{head}<styleSheet xmlns="{_XLSX_NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
    for i, rows in enumerate(sheets.values(), start=1):
        body = "".join(
            f'<row r="{r}">'
            + "".join(_xlsx_cell(f"{_xlsx_column(c)}{r}", v) for c, v in enumerate(row))
            + "</row>"
            for r, row in enumerate(rows, start=1)
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'{head}<worksheet xmlns="{_XLSX_NS}"><sheetData>{body}</sheetData></worksheet>'
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as book:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(YEAR + 1, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            book.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def _write_linkedin_posts(path: Path, posts: pd.DataFrame) -> int:
    """The page's posts as LinkedIn's content export: an 'All posts' sheet, newest first."""
    newest = posts.iloc[::-1]
    days = pd.date_range(f"{YEAR}-01-01", periods=366, freq="D")[newest["day"].to_numpy()]
    impressions = newest["impressions"].to_numpy(np.int64)
    clicks = newest["clicks"].to_numpy(np.int64)
    engaged = clicks + newest[["likes", "comments", "reposts", "follows"]].to_numpy(np.int64).sum(
        axis=1
    )

    def optional(values: pd.Series) -> list[object]:
        return [None if v < 0 else int(v) for v in values.tolist()]

    columns = {
        "Post title": newest["title"].tolist(),
        "Post link": (
            "https://www.linkedin.com/feed/update/urn:li:activity:" + newest["activity"]
        ).tolist(),
        "Post type": ["Organic"] * len(newest),
        "Campaign name": [None] * len(newest),
        "Posted by": newest["posted_by"].tolist(),
        "Created date": list(days.strftime("%m/%d/%Y")),
        "Campaign start date": [None] * len(newest),
        "Campaign end date": [None] * len(newest),
        "Audience": ["All followers"] * len(newest),
        "Impressions": impressions.tolist(),
        "Views (excluding off-site video views)": optional(newest["views"]),
        "Off-site views": optional(newest["offsite"]),
        "Clicks": clicks.tolist(),
        "Click through rate (CTR)": (clicks / impressions).tolist(),
        "Likes": newest["likes"].astype(np.int64).tolist(),
        "Comments": newest["comments"].astype(np.int64).tolist(),
        "Reposts": newest["reposts"].astype(np.int64).tolist(),
        "Follows": newest["follows"].astype(np.int64).tolist(),
        "Engagement rate": (engaged / impressions).tolist(),
        "Content Type": newest["ctype"].str.capitalize().tolist(),
    }
    rows = [list(r) for r in zip(*(columns[c] for c in _LI_POST_COLUMNS), strict=True)]
    title = f"Post performance for all posts created from 01/01/{YEAR} to 12/31/{YEAR}"
    _write(path, "", raw=_xlsx({"All posts": [[title], list(_LI_POST_COLUMNS), *rows]}))
    return len(rows)


def _write_table(path: Path, frame: pd.DataFrame, columns: Sequence[str]) -> int:
    """A canonical table as CSV (floats as written in the frame's text, so bytes are stable)."""
    _write(path, _csv_text(columns, _rows(frame, columns)))
    return len(frame)


# -- the front door -------------------------------------------------------------------------------
def generate(out_dir: str | Path, seed: int = 2025) -> pd.DataFrame:
    """Write the fictional sample data set into ``out_dir``.

    Every file imitates a real export's layout exactly (header, quoting, date and number
    styles), so the kit's readers sniff and load them as they would the real thing. The
    same ``seed`` writes byte-identical files; nothing depends on today's date or the
    locale. Files already in ``out_dir`` with the same names are replaced; no other file
    is touched.

    Parameters
    ----------
    out_dir
        The folder to write into (created if missing), such as ``data/sample``.
    seed
        Seed for ``numpy.random.default_rng``: the only source of randomness.

    Returns
    -------
    DataFrame
        One row per file written, in writing order:

        ``file``
            Path relative to ``out_dir`` (``/``-separated).
        ``imitates``
            The real export whose layout it copies.
        ``table``
            The canonical table it loads into (``audience``, ``accounts``, ``posts``,
            ``followers``, ``page_daily``, ``events``, ``profiles``; ``""`` for the README).
        ``rows``
            Data rows written (header and LinkedIn's notes not counted).

    Raises
    ------
    RoiInputError
        ``out_dir`` is an existing file, or ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> import tempfile
    >>> files = generate(tempfile.mkdtemp(), seed=1)
    >>> sorted(set(files["table"]) - {""})
    ['accounts', 'audience', 'events', 'followers', 'page_daily', 'posts', 'profiles', 'team']
    >>> int(files.loc[files["file"] == "crm_accounts.csv", "rows"].item())
    60
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise RoiInputError(
            "is a file, not a folder", path=out, hint="Give the folder to write the sample into."
        )
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise RoiInputError(
            f"the seed must be a non-negative integer, not {seed!r}", expected="0, 1, 2025..."
        )
    root = np.random.default_rng(int(seed))
    streams = root.spawn(8)  # a new stream goes last, so the others keep their draws
    r_people, r_conn, r_posts, r_overview, r_page, r_cascade, r_defects, r_peers = streams
    crm = _crm_frame()
    people = _people(r_people, crm)
    connections = _connections(r_conn, people, TEAM)
    posts, follows = _x_posts(r_posts)
    overview = _overview(r_overview, posts, follows)
    page, page_followers, li_posts, corrections = _linkedin_page(r_page)
    x_totals = _x_follower_totals(follows)
    own = [
        _own_profile(
            "x",
            X_HANDLE,
            x_totals["followers"].iloc[-1],
            posts.rename(columns={"replies": "comments", "retweets": "shares"}),
        ),
        _own_profile(
            "linkedin",
            LINKEDIN_PAGE,
            page_followers["Cumulative Followers"].iloc[-1],
            li_posts.rename(columns={"reposts": "shares"}),
        ),
    ]
    peers = _peer_profiles(r_peers, own)
    events = _cascades(r_cascade, posts, people, connections, TEAM)
    breakouts = set(posts.loc[posts["breakout"], "post_id"])
    events, defects = _plant_defects(r_defects, events, breakouts)

    files: list[tuple[str, str, str, int]] = []
    notes: dict[str, str] = {}
    for m in TEAM:
        rel = f"linkedin/{m.slug}/Connections.csv"
        n, note = _write_connections(out / rel, connections[m.slug], m.older_format)
        fmt = (
            "LinkedIn Connections.csv, older export"
            if m.older_format
            else "LinkedIn Connections.csv"
        )
        files.append((rel, fmt, "audience", n))
        if note:
            notes[rel] = note
    files.append(
        (
            "crm_accounts.csv",
            "a CRM account list",
            "accounts",
            _write_crm(out / "crm_accounts.csv", crm),
        )
    )
    team = pd.DataFrame(
        {
            "member": [m.slug for m in TEAM],
            "name": [f"{m.first} {m.last}" for m in TEAM],
            "title": [m.title for m in TEAM],
            "function": [m.function.title() for m in TEAM],
            "company": COMPANY,
        }
    )
    n = _write_table(out / "team.csv", team, list(team.columns))
    files.append(("team.csv", "the kit's canonical team table", "team", n))
    n = _write_table(out / "peer_accounts.csv", peers, _PROFILE_COLUMNS)
    files.append(("peer_accounts.csv", "the kit's canonical profiles table", "profiles", n))
    for name, n in _write_tweet_activity(out / "x", posts):
        files.append((f"x/{name}", "X tweet_activity_metrics (legacy)", "posts", n))
    name, n = _write_content(out / "x", posts)
    files.append((f"x/{name}", "X account_analytics_content", "posts", n))
    name, n = _write_overview(out / "x", overview)
    files.append((f"x/{name}", "X account_overview_analytics", "followers", n))
    name = f"x/{X_HANDLE}_follower_totals.csv"
    n = _write_table(out / name, x_totals, _FOLLOWER_TOTAL_COLUMNS)
    files.append((name, "the kit's canonical followers table", "followers", n))
    page_name = f"linkedin_page/{LINKEDIN_PAGE}_content.csv"
    _write(out / page_name, _csv_text(_PAGE_COLUMNS, _rows(page, _PAGE_COLUMNS)))
    files.append((page_name, "LinkedIn page content metrics (daily)", "page_daily", len(page)))
    fol_name = f"linkedin_page/{LINKEDIN_PAGE}_followers.csv"
    _write(out / fol_name, _csv_text(_FOLLOWER_COLUMNS, _rows(page_followers, _FOLLOWER_COLUMNS)))
    files.append(
        (fol_name, "LinkedIn page follower metrics (daily)", "followers", len(page_followers))
    )
    posts_name = f"linkedin_page/{LINKEDIN_PAGE}_content_{_LI_EXPORTED_MS}.xlsx"
    n = _write_linkedin_posts(out / posts_name, li_posts)
    files.append((posts_name, "LinkedIn page content export, 'All posts' sheet", "posts", n))
    n_events = _write_events(out / "events.csv", events, posts)
    files.append(("events.csv", "the kit's canonical events table", "events", n_events))
    summary = pd.DataFrame(files, columns=["file", "imitates", "table", "rows"])
    readme = _readme(
        seed,
        summary,
        posts,
        events,
        defects,
        corrections,
        notes,
        li_posts=li_posts,
        peers=peers,
        x_totals=x_totals,
    )
    _write(out / "README.md", readme)
    summary.loc[len(summary)] = ["README.md", "", "", 0]
    return summary


def _readme(
    seed: int,
    summary: pd.DataFrame,
    posts: pd.DataFrame,
    events: pd.DataFrame,
    defects: list[dict[str, str]],
    corrections: list[str],
    notes: dict[str, str],
    *,
    li_posts: pd.DataFrame,
    peers: pd.DataFrame,
    x_totals: pd.DataFrame,
) -> str:
    table = "\n".join(
        f"| `{r.file}` | {r.imitates} | {r.table} | {r.rows} |" for r in summary.itertuples()
    )
    bar = "\\|"  # a "|" inside a table cell
    team = "\n".join(
        f"| `{m.slug}` | {m.first} {m.last} | {m.title.replace('|', bar)} | {m.function} "
        f"| {m.exported_on}"
        f"{' (older format)' if m.older_format else ''} |"
        for m in TEAM
    )
    sizes = events[events["action"] == "share"].drop_duplicates(["post_id", "user_id"])
    sizes = sizes.groupby("post_id").size()
    legacy = posts[posts["legacy"]]
    top = sizes.sort_values(ascending=False).head(4)
    defect_lines = "\n".join(
        f"- `events.csv`, {d['defect']}: post `{d['post_id']}`, user `{d['user_id']}`"
        for d in defects
    )
    quirk_lines = "\n".join(f"- `{f}`: {n}" for f, n in notes.items())
    correction_lines = "\n".join(f"- {c}" for c in corrections)
    li_rate = li_posts[["likes", "comments", "reposts"]].sum(axis=1) / li_posts["impressions"]
    by_type = li_rate.groupby(li_posts["ctype"]).median().sort_values(ascending=False)
    type_rates = ", ".join(f"{kind} {rate:.1%}" for kind, rate in by_type.items())
    size = peers["followers"].to_numpy(float)
    rho_likes = _spearman(size, peers["avg_likes"].to_numpy(float))
    rho_rate = _spearman(size, peers["engagement_rate"].to_numpy(float))
    own = peers.iloc[:2]
    status = {row[0]: row[1] for row in _CRM}
    peer_table = "\n".join(
        f"| `{account}` | {platform} | {company or '-'} | {status.get(company, 'trade media')} |"
        for platform, account, company, _ in _PEERS
    )
    first = x_totals.iloc[0]
    x_start = int(first["followers"])
    return f"""# Sample data: Quillmoor Software (fictional)

Everything in this folder is **made up**. Quillmoor Software B.V., its team, its clients,
prospects, partners and competitors, every person, company, email address, profile link,
post and number were generated by `roi_helpers.sample` from a random seed. Any resemblance
to real people or companies is a coincidence. Domains end in `.example` (reserved for
examples, RFC 2606).

Regenerate it (same seed, byte-identical files):

    python -m roi_helpers.sample data/sample --seed {seed}
    roi sample data/sample --seed {seed}

## The story

Quillmoor sells accounts-payable automation to mid-size European companies from Amsterdam.
Five sales people and one marketer exported their LinkedIn connections; the company exported
a year ({YEAR}) of X and LinkedIn page analytics, and its CRM account list.

- **Relevance**: the sales people mostly know other sales people (peers); a minority of their
  connections work at CRM clients and prospects, spelled every which way (`Acme Inc.`,
  `ACME`, `Acme, Inc.`...), and that minority grows among recent connections. The marketer's
  network is mostly marketers. Sofia's export is from 2021, in LinkedIn's older format.
- **Engagement**: heavy-tailed; better on Tuesday-Thursday mornings (Amsterdam time), for
  video and images than for links; {int(posts["breakout"].sum())} breakout posts. X followers grow
  over the year; the LinkedIn page opened in January {YEAR} and its follower count starts at 0.
  On the LinkedIn page ({len(li_posts)} posts), documents engage most per impression and
  articles least (median (likes + comments + reposts) / impressions: {type_rates}); two
  posts, in March and September, travelled far.
- **Audience size is not engagement**: the {len(peers)} accounts of `peer_accounts.csv`
  have from {int(size.min()):,} to {int(size.max()):,} followers, yet their average likes rise only
  weakly with audience size (Spearman's rho = {rho_likes:.2f}) and their engagement rate per
  impression not at all (rho = {rho_rate:.2f}): the follower fallacy (Cha et al. 2010).
- **Virality**: {int((legacy["retweets"] == 0).sum())} of the {len(legacy)} posts in the
  `tweet_activity` files were never reshared; the largest cascades have
  {", ".join(str(int(v)) for v in top)} reshares, some broadcast-like, some passed along
  over many generations. Team members reshare the company's posts and their connections
  (clients' and prospects' people among them) reshare from them: in `events.csv` a person's
  `user_id` is their LinkedIn profile slug, the one in the `URL` column of the connections
  exports; other X users are numeric ids. Each post's `retweets` equals its distinct
  resharers in `events.csv`.

## The team

| folder (person id) | name | title | function | exported |
|---|---|---|---|---|
{team}

## Files

| file | imitates | loads into | rows |
|---|---|---|---|
{table}

X posts from January to October are in the legacy monthly `tweet_activity_metrics` files;
November and December in the newer `account_analytics_content` layout (dates without a time).
Times are UTC. `events.csv` covers the posts of the legacy files only: one `post` row per
post (the company's account, the root of its cascade) and one `share` row per reshare, with
`parent_user_id` the user it was reshared from (empty: from the original post).

## Follower totals, LinkedIn posts and peer accounts

- `x/{X_HANDLE}_follower_totals.csv`: X's analytics exports give each day's follows and
  unfollows, never the follower total, so the analyst recorded the totals (the count on the
  profile) in the kit's canonical followers table, one row per day. They agree with the
  overview export: `followers` on a day is the previous day's plus `new_followers` (the
  overview's `New follows`) minus `lost_followers` (its `Unfollows`): from {x_start:,}
  at the end of 1 January to {int(own.iloc[0]["followers"]):,} at the end of 31 December.
- `linkedin_page/{LINKEDIN_PAGE}_content_{_LI_EXPORTED_MS}.xlsx`: the `All posts` sheet of
  LinkedIn's content export (Page > Analytics > Content > Export): a title line, the header,
  one post a row, newest first. LinkedIn's own workbook also has a `Metrics` sheet of daily
  totals: those are `{LINKEDIN_PAGE}_content.csv`. The two agree: each post's impressions,
  clicks, reactions, comments and reposts are counted in the daily totals over the four days
  after it was published, and each day's organic follower gain includes the follows that
  day's posts earned. `Created date` gives the day, not the time: posts read as published at
  00:00 UTC (`tz=` changes the zone). With the follower export's cumulative total, every
  post gets the page's follower count when it went out.
- `team.csv`: the kit's canonical team table, one row per member: name, title, job function
  and company, so the relevance analysis knows who is a peer and who is internal.
- `peer_accounts.csv`: the kit's canonical profiles table, kept by the analyst: the CRM's
  competitors and partners (named after them), trade media and communities, and Quillmoor's
  own two accounts (`{X_HANDLE}` on X, `{LINKEDIN_PAGE}` on LinkedIn, computed from the
  exports in this folder: followers at the end of {YEAR}, posts, average likes, comments
  and shares per post). `engagement_rate` is (likes + comments + shares) / impressions over
  the account's posts, as the analyst's listening tool reports it: per impression, not per
  follower.

| account | platform | company in the CRM | status |
|---|---|---|---|
| `{X_HANDLE}` | x | {COMPANY} | the company's own |
| `{LINKEDIN_PAGE}` | linkedin | {COMPANY} | the company's own |
{peer_table}

## Planted defects (so the cleaning and repair reports have something to show)

Reshare faults as real cascade data has them, negative daily values as LinkedIn writes its
corrections, and the quirks of an old export:

{defect_lines}
{correction_lines}
{quirk_lines}
- some names and titles carry trailing spaces; some connections have no company or title.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the sample data: ``python -m roi_helpers.sample OUT_DIR --seed 2025``.

    Parameters
    ----------
    argv
        Command-line arguments (without the program name); default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 when the files were written, 2 for bad arguments.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> not_a_folder = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = not_a_folder.write_text("")
    >>> main([str(not_a_folder)])  # refused, with the reason on standard error
    2
    """
    parser = argparse.ArgumentParser(
        prog="roi sample",
        description="Write the fictional sample data set (real export formats) into a folder.",
    )
    parser.add_argument("out_dir", nargs="?", default="data/sample", help="folder to write into")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--quiet", action="store_true", help="do not list the files written")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        files = generate(args.out_dir, seed=args.seed)
    except RoiInputError as exc:
        print(f"roi sample: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(files.to_string(index=False))
        print(f"\n{len(files)} files written to {args.out_dir} (seed {args.seed}).")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
