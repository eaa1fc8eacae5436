"""Patients' own words for what the site names: lay words, brand names of the medicines the
articles name by group, and common ways of asking (issue 25). Staff edit or delete them in
the admin (Patient education › Search synonyms); a group naming a word that carries no meaning
in a query ("zoned out", "how much") is recognised in a query, and its other names searched."""

from django.db import migrations

SYNONYMS = [
    # What the site calls dissociation.
    "dissociation = dissociative = detached = dreamlike = trip = tripping = zoned = zoned out "
    "= spaced out = feel weird = feel strange = feel high = get high = make you high "
    "= out of body = out of body experience = floaty",
    "bad trip = bad experience = feels hard",
    # Medicines the articles name by group, by their common US brand and generic names.
    "benzodiazepines = benzodiazepine = benzos = benzo = xanax = alprazolam = valium = diazepam "
    "= ativan = lorazepam = klonopin = clonazepam = restoril = temazepam",
    "opioids = opioid = opiates = opiate = painkillers = pain pills = oxycodone = oxycontin "
    "= vicodin = hydrocodone = percocet = fentanyl = tramadol = morphine = codeine = dilaudid",
    "stimulants = stimulant = adderall = ritalin = vyvanse = concerta = focalin = amphetamine "
    "= methylphenidate = adhd medicine",
    "MAOIs = MAOI = monoamine oxidase inhibitors = nardil = parnate = emsam = marplan "
    "= phenelzine = tranylcypromine = selegiline",
    "sleep medicines = sleep medicine = sleeping pills = sleeping pill = sleep aids = ambien "
    "= lunesta = sonata = zolpidem = eszopiclone = belsomra",
    "antidepressants = antidepressant = SSRI = SSRIs = SNRI = zoloft = sertraline = lexapro "
    "= escitalopram = prozac = fluoxetine = wellbutrin = bupropion = effexor = cymbalta "
    "= paxil = celexa",
    "medicines = medicine = meds = medications = medication = prescriptions",
    "cannabis = marijuana = weed = pot = THC = edibles",
    "alcohol = booze = beer = wine = liquor",
    # People and stages of life.
    "young people = teen = teens = teenager = teenagers = adolescent = adolescents = kids "
    "= children = under 18",
    "older adults = elderly = seniors = older people",
    "pregnant = pregnancy = expecting a baby",
    "breastfeeding = breast feeding = nursing",
    # How people say what the articles say.
    "low mood = mood drops = mood crash = crash = crashing = dip = slump",
    "relapse = come back = coming back = comes back",
    "wear off = wears off = wearing off = fade = fades",
    "booster = top-up = tune-up",
    "cost = price = expensive = afford = fees = how much = pay",
    "insurance = insurer = medicare = medicaid",
    "compared = versus = vs = compare = comparison = better than = difference between",
    "ECT = electroconvulsive = shock therapy = electroshock",
    "TMS = transcranial magnetic stimulation = magnetic stimulation",
    "high blood pressure = hypertension",
    "nausea = nauseous = throw up = throwing up = vomit = vomiting = queasy",
    "addictive = addiction = addicted = hooked = habit forming = misuse",
    "recreational = street = party drug = club drug = special k",
    "telehealth = telemedicine = online = at home",
    "lozenges = troches = oral = sublingual = under the tongue",
    "talk therapy = counseling = counselling = counselor = therapist",
    "drive = driver = ride home = uber = lyft = taxi",
    "infusion = drip",
    "PTSD = post-traumatic stress = trauma",
    "OCD = obsessive compulsive",
    "bipolar = manic depression = manic",
    "anxiety = anxious = panic",
    "referral = refer = referred",
    "warning signs = red flags = warning sign",
    "eat = food = meal = fasting = empty stomach",
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    for terms in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("articles", "SearchSynonym").objects.filter(terms__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_triage_symptoms")]
    operations = [migrations.RunPython(seed, unseed)]
