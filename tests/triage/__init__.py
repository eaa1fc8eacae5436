"""Triage as data: each symptom's level and wording live once (content/triage.yaml, the
TriageSymptom rows); care cards name symptoms by key and say where to go, day or night;
/when-to-get-help/ lists them all. Changing the data changes every card."""
