-- wrk script for bench/run: every request a different search, as many patients searching at
-- once make, so the kept results pages (SEARCH_RESULT_CACHE_SIZE, 200 per worker) almost
-- never hold the answer. Two words from the list below: 70 x 70 = 4,900 distinct queries,
-- each thread starting at a different place. Site words, patients' own words (synonyms),
-- words the site does not use (partial matches) and misspellings (typo correction).
local words = {
  "ketamine", "spray", "nasal", "infusion", "iv", "shot", "lozenges", "spravato",
  "esketamine", "depression", "anxiety", "ptsd", "session", "sessions", "dose", "drive",
  "home", "cost", "insurance", "price", "side", "effects", "nausea", "blood", "pressure",
  "dissociation", "pregnancy", "teen", "older", "adults", "alcohol", "medicines", "booster",
  "relapse", "mood", "clinic", "visit", "first", "safety", "addictive", "ect", "tms",
  "therapy", "psychotherapy", "integration", "telehealth", "compounded", "fda", "approved",
  "xanax", "adderall", "ambien", "oxycodone", "zoloft", "trip", "high", "meds", "teenager",
  "crash", "vs", "weird", "zoned", "parking", "xylophone", "spravado", "infussion",
  "depresion", "insurnace", "nausia", "tretment",
}
local n = #words
local next_id = 0
local counter = 0

function setup(thread)
  thread:set("start", next_id * 1237)
  next_id = next_id + 1
end

function init(args)
  counter = start or 0
end

function request()
  counter = counter + 1
  local first = words[counter % n + 1]
  local second = words[math.floor(counter / n) % n + 1]
  return wrk.format("GET", "/search/?q=" .. first .. "+" .. second)
end
