// Word lists for synthetic clinical records. Nothing here describes a real person. The lists are long enough, and the
// templates varied enough, that the generated text compresses about as well as real notes do, not like a repeated string.

export const FIRST_NAMES = [
  "Amal", "Omar", "Layla", "Yusuf", "Fatima", "Hassan", "Noor", "Karim", "Salma", "Tariq", "Maria", "James", "Olivia",
  "Liam", "Emma", "Noah", "Ava", "Lucas", "Sophia", "Mateo", "Isabella", "Ethan", "Mia", "Mason", "Amelia", "Logan",
  "Harper", "Elijah", "Evelyn", "Aiden", "Abigail", "Chloe", "Daniel", "Grace", "Henry", "Hannah", "Isaac", "Zoe",
  "Jack", "Lily", "Leo", "Nora", "Owen", "Riley", "Samuel", "Stella", "Thomas", "Violet", "Wyatt", "Aria", "Priya",
  "Arjun", "Mei", "Hiroshi", "Yuki", "Chen", "Wei", "Ana", "Diego", "Lucia", "Javier", "Sofia", "Mohamed", "Aisha",
  "Ibrahim", "Zainab", "Kwame", "Ama", "Tendai", "Nia", "Pierre", "Camille", "Louis", "Chantal", "Mathieu", "Sylvie",
  "Olga", "Dmitri", "Ingrid", "Lars", "Freya", "Anders", "Siobhan", "Declan", "Aoife", "Rhys", "Catrin", "Marek",
];

export const LAST_NAMES = [
  "Haddad", "Rahman", "Nasser", "Khalil", "Saleh", "Farouk", "Mansour", "Aziz", "Smith", "Johnson", "Williams", "Brown",
  "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
  "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark",
  "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
  "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel",
  "Shah", "Singh", "Kumar", "Tanaka", "Suzuki", "Wang", "Li", "Zhang", "Kim", "Park", "Okafor", "Mensah", "Dubois",
  "Lefebvre", "Tremblay", "Gagnon", "Roy", "Cote", "Bouchard", "Gauthier", "Morin", "Ivanova", "Petrov", "Larsen",
  "Nilsson", "O'Brien", "Murphy", "Kowalski", "Novak", "Rossi", "Bianchi", "Schmidt", "Muller", "Fischer", "Weber",
];

export const STREETS = [
  "Maple", "Oak", "Cedar", "Pine", "Elm", "Birch", "Willow", "Lakeview", "Hillcrest", "Riverside", "Sunset", "Park",
  "Church", "Mill", "King", "Queen", "Victoria", "Sherbrooke", "Saint-Denis", "Rachel", "Laurier", "Main", "Market",
  "Station", "Harbour", "Orchard", "Meadow", "Forest", "Spring", "Union",
];
export const STREET_KINDS = ["Street", "Avenue", "Road", "Boulevard", "Lane", "Drive", "Court", "Crescent", "Way", "Place"];
export const CITIES = [
  ["Montreal", "QC"], ["Quebec City", "QC"], ["Laval", "QC"], ["Gatineau", "QC"], ["Sherbrooke", "QC"], ["Toronto", "ON"],
  ["Ottawa", "ON"], ["Hamilton", "ON"], ["Boston", "MA"], ["Worcester", "MA"], ["Richmond", "VA"], ["Arlington", "VA"],
  ["Baltimore", "MD"], ["Philadelphia", "PA"], ["Pittsburgh", "PA"], ["Columbus", "OH"], ["Detroit", "MI"], ["Chicago", "IL"],
] as const;

export const ALLERGENS = [
  "penicillin", "amoxicillin", "sulfa drugs", "cephalosporins", "aspirin", "ibuprofen", "naproxen", "codeine", "morphine",
  "latex", "iodinated contrast", "peanuts", "tree nuts", "shellfish", "eggs", "soy", "bee venom", "adhesive tape",
  "lisinopril", "clindamycin", "vancomycin", "tetracycline", "carbamazepine", "phenytoin",
];

export const SYMPTOMS = [
  "intermittent chest tightness", "shortness of breath on exertion", "productive cough", "dry cough", "low back pain",
  "right knee pain", "left shoulder pain", "frontal headaches", "dizziness on standing", "palpitations", "fatigue",
  "poor sleep", "decreased appetite", "nausea without vomiting", "epigastric burning", "loose stools", "constipation",
  "urinary frequency", "dysuria", "ankle swelling", "numbness in both feet", "blurred vision", "sore throat",
  "nasal congestion", "wheezing at night", "joint stiffness in the morning", "low mood", "increased anxiety",
  "difficulty concentrating", "unintentional weight loss", "night sweats", "itchy rash on the forearms", "heartburn",
  "abdominal bloating", "pelvic discomfort", "neck pain radiating to the arm", "tinnitus", "ear fullness",
  "painful swallowing", "calf cramping when walking", "excessive thirst", "cold intolerance", "hair thinning",
];
export const DURATIONS = [
  "for the past two days", "for about a week", "for three weeks", "for several months", "since the last visit",
  "since starting the new medication", "after a fall at home", "over the past month", "intermittently for a year",
  "since returning from travel", "for roughly ten days", "since the weekend", "after a recent viral illness",
];
export const SEVERITIES = ["mild", "moderate", "moderate to severe", "severe at times", "fluctuating", "worsening", "improving", "stable"];
export const MODIFIERS = [
  "worse in the evening", "relieved by rest", "aggravated by climbing stairs", "worse after meals", "not related to exertion",
  "partially relieved by acetaminophen", "associated with mild nausea", "without fever or chills", "waking the patient at night",
  "better with heat", "worse with prolonged sitting", "with no clear trigger", "associated with stress at work",
];
export const DENIALS = [
  "fever", "chills", "chest pain", "syncope", "hemoptysis", "melena", "hematuria", "focal weakness", "weight change",
  "vision changes", "rash", "recent travel", "sick contacts", "calf tenderness", "orthopnea", "vomiting", "dysphagia",
];
export const HISTORY = [
  "type 2 diabetes", "essential hypertension", "hyperlipidemia", "asthma", "COPD", "hypothyroidism", "atrial fibrillation",
  "chronic kidney disease stage 3", "osteoarthritis", "major depressive disorder", "generalized anxiety disorder",
  "GERD", "migraine", "obstructive sleep apnea", "iron deficiency anemia", "gout", "osteoporosis", "heart failure with preserved EF",
  "prior myocardial infarction", "benign prostatic hyperplasia", "psoriasis", "rheumatoid arthritis", "epilepsy",
];
export const EXAM_FINDINGS = [
  "Lungs clear to auscultation bilaterally, no wheezes or crackles.",
  "Scattered expiratory wheezes in both lower lobes.",
  "Fine bibasilar crackles, no dullness to percussion.",
  "Heart regular rate and rhythm, no murmurs, rubs or gallops.",
  "Irregularly irregular rhythm, grade 2/6 systolic murmur at the apex.",
  "Abdomen soft, non-tender, non-distended, normal bowel sounds.",
  "Mild epigastric tenderness without guarding or rebound.",
  "Right lower quadrant tenderness on deep palpation, negative Rovsing sign.",
  "Trace pitting edema to the mid shin bilaterally.",
  "No peripheral edema; distal pulses 2+ and symmetric.",
  "Tympanic membranes intact, mild erythema of the left canal.",
  "Oropharynx erythematous with tonsillar exudate, tender anterior cervical nodes.",
  "Neck supple, no lymphadenopathy or thyromegaly.",
  "Cranial nerves II-XII grossly intact, strength 5/5 throughout.",
  "Decreased sensation to monofilament at both great toes.",
  "Paraspinal muscle tenderness at L4-L5, straight leg raise negative.",
  "Right knee with small effusion, crepitus on flexion, stable ligaments.",
  "Skin warm and dry, erythematous plaques with silvery scale on the elbows.",
  "Alert and oriented, affect constricted, speech normal in rate and volume.",
  "Conjunctivae pale, no scleral icterus.",
];
export const ASSESSMENTS = [
  "Uncontrolled type 2 diabetes", "Essential hypertension, above target", "Acute bronchitis", "Community-acquired pneumonia, mild",
  "Asthma exacerbation", "COPD exacerbation", "Mechanical low back pain", "Primary osteoarthritis of the knee",
  "Tension-type headache", "Migraine without aura", "Gastroesophageal reflux disease", "Urinary tract infection, uncomplicated",
  "Iron deficiency anemia", "Hypothyroidism, on replacement", "Atrial fibrillation, rate controlled", "Heart failure, compensated",
  "Major depressive disorder, recurrent, moderate", "Generalized anxiety disorder", "Streptococcal pharyngitis",
  "Peripheral neuropathy secondary to diabetes", "Hyperlipidemia", "Chronic kidney disease stage 3a", "Gout flare of the first MTP",
  "Allergic rhinitis", "Insomnia", "Vitamin D deficiency", "Obesity, BMI over 30", "Plaque psoriasis",
];
export const ICD10 = [
  "E11.9", "E11.65", "I10", "J20.9", "J18.9", "J45.901", "J44.1", "M54.50", "M17.11", "G44.209", "G43.009", "K21.9", "N39.0",
  "D50.9", "E03.9", "I48.91", "I50.30", "F33.1", "F41.1", "J02.0", "E11.42", "E78.5", "N18.31", "M10.071", "J30.9", "G47.00",
  "E55.9", "E66.9", "L40.0", "R51.9", "R05.9", "R10.13", "R42", "Z00.00", "Z79.4",
];
export const MEDICATIONS = [
  ["Metformin", "500 mg", "PO"], ["Metformin", "1000 mg", "PO"], ["Lisinopril", "10 mg", "PO"], ["Lisinopril", "20 mg", "PO"],
  ["Amlodipine", "5 mg", "PO"], ["Atorvastatin", "40 mg", "PO"], ["Rosuvastatin", "10 mg", "PO"], ["Levothyroxine", "75 mcg", "PO"],
  ["Levothyroxine", "100 mcg", "PO"], ["Omeprazole", "20 mg", "PO"], ["Pantoprazole", "40 mg", "PO"], ["Sertraline", "50 mg", "PO"],
  ["Escitalopram", "10 mg", "PO"], ["Albuterol HFA", "90 mcg/actuation", "INH"], ["Fluticasone-salmeterol", "250/50 mcg", "INH"],
  ["Amoxicillin", "500 mg", "PO"], ["Amoxicillin-clavulanate", "875 mg", "PO"], ["Azithromycin", "250 mg", "PO"],
  ["Nitrofurantoin", "100 mg", "PO"], ["Prednisone", "40 mg", "PO"], ["Ibuprofen", "400 mg", "PO"], ["Naproxen", "500 mg", "PO"],
  ["Acetaminophen", "650 mg", "PO"], ["Gabapentin", "300 mg", "PO"], ["Apixaban", "5 mg", "PO"], ["Metoprolol succinate", "50 mg", "PO"],
  ["Furosemide", "40 mg", "PO"], ["Insulin glargine", "20 units", "SC"], ["Empagliflozin", "10 mg", "PO"], ["Allopurinol", "100 mg", "PO"],
  ["Colchicine", "0.6 mg", "PO"], ["Ferrous sulfate", "325 mg", "PO"], ["Vitamin D3", "2000 IU", "PO"], ["Cetirizine", "10 mg", "PO"],
  ["Trazodone", "50 mg", "PO"], ["Hydrochlorothiazide", "25 mg", "PO"], ["Enoxaparin", "40 mg", "SC"], ["Ceftriaxone", "1 g", "IV"],
] as const;
export const FREQUENCIES = ["once daily", "twice daily", "three times daily", "every 8 hours", "every 12 hours", "at bedtime", "every morning", "as needed every 6 hours", "weekly"];
export const PLAN_ACTIONS = [
  "Follow up in clinic", "Repeat labs", "Refer to cardiology", "Refer to physiotherapy", "Refer to endocrinology",
  "Order chest X-ray", "Order renal ultrasound", "Arrange sleep study", "Start home blood pressure log", "Schedule dietitian visit",
  "Provide smoking cessation counselling", "Review inhaler technique", "Update immunizations", "Discuss colon cancer screening",
  "Order echocardiogram", "Arrange Holter monitor", "Refer to mental health services", "Order HbA1c and lipid panel",
];
export const FOLLOW_UPS = ["in 1 week", "in 2 weeks", "in 4 weeks", "in 6 weeks", "in 3 months", "in 6 months", "as needed", "after the imaging results"];
export const NOTE_TITLES = [
  "Follow-up visit", "Annual physical", "Acute visit", "Telehealth consultation", "Medication review", "Post-discharge follow-up",
  "Chronic disease management", "Urgent same-day visit", "Pre-operative assessment", "Mental health check-in",
];
export const CREDENTIALS = ["MD", "MD, FRCPC", "DO", "NP", "MD, CCFP", "PA-C"];

export const LAB_TESTS = [
  // name, LOINC, unit, low, high (reference range), spread for generated values
  ["Hemoglobin A1c", "4548-4", "%", 4.0, 5.6, 4.0],
  ["Glucose, fasting", "1558-6", "mg/dL", 70, 99, 80],
  ["Creatinine", "2160-0", "mg/dL", 0.6, 1.3, 1.2],
  ["eGFR", "33914-3", "mL/min/1.73m2", 60, 120, 70],
  ["Sodium", "2951-2", "mmol/L", 135, 145, 14],
  ["Potassium", "2823-3", "mmol/L", 3.5, 5.1, 2.2],
  ["TSH", "3016-3", "mIU/L", 0.4, 4.0, 6.0],
  ["LDL cholesterol", "13457-7", "mg/dL", 0, 99, 160],
  ["HDL cholesterol", "2085-9", "mg/dL", 40, 90, 60],
  ["Triglycerides", "2571-8", "mg/dL", 0, 149, 250],
  ["Hemoglobin", "718-7", "g/dL", 12.0, 17.5, 8.0],
  ["White blood cells", "6690-2", "10^3/uL", 4.0, 11.0, 12.0],
  ["Platelets", "777-3", "10^3/uL", 150, 400, 350],
  ["ALT", "1742-6", "U/L", 7, 56, 90],
  ["AST", "1920-8", "U/L", 10, 40, 80],
  ["Ferritin", "2276-4", "ng/mL", 24, 336, 400],
  ["Vitamin D, 25-OH", "1989-3", "ng/mL", 30, 100, 70],
  ["C-reactive protein", "1988-5", "mg/L", 0, 10, 40],
  ["Urine albumin/creatinine", "9318-7", "mg/g", 0, 30, 120],
  ["INR", "6301-6", "ratio", 0.8, 1.2, 2.5],
] as const;

export const AUDIT_TABLES = ["Patient", "ClinicalNote", "Prescription", "LabResult", "User", "RefreshToken"];
export const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
  "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
  "DrAmalClinical/2.0.3 (Android 14; Pixel 8)",
];
export const NOTE_FIELDS = ["content", "status", "title", "icd10Codes", "vitals"];

export const BODY_SITES = [
  "left forearm", "right forearm", "upper back", "lower back", "left calf", "right calf", "left ankle", "right ankle", "scalp",
  "left hip", "right hip", "sternum", "right upper quadrant", "left lower quadrant", "periumbilical area", "left wrist",
  "right wrist", "left great toe", "right shoulder", "left shoulder", "posterior neck", "left knee", "right knee", "both hands",
  "both feet", "left eye", "right ear", "chest wall", "sacrum", "left thigh", "right thigh", "groin", "axilla", "left elbow",
];
export const LESIONS = [
  "erythematous patch", "well-healed scar", "small ecchymosis", "superficial abrasion", "raised nodule", "area of induration",
  "scaly plaque", "vesicular rash", "healing laceration", "tender swelling", "pigmented macule", "shallow ulcer",
];
export const SIZES_CM = ["0.5", "0.8", "1", "1.2", "1.5", "2", "2.5", "3", "3.5", "4", "5", "6"];
export const EVENTS = [
  "an emergency department visit", "a hospital admission for pneumonia", "a fall on the ice", "a motor vehicle collision",
  "knee arthroscopy", "cataract surgery", "a COVID-19 infection", "an influenza infection", "a course of prednisone",
  "a dental extraction", "a cholecystectomy", "a hip replacement", "a urinary tract infection", "a road trip",
  "the death of a parent", "a job change", "starting a new exercise program", "a period of heavy alcohol use",
];
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const RELATIVES = ["mother", "father", "sister", "brother", "maternal grandmother", "paternal grandfather", "son", "daughter", "maternal aunt", "paternal uncle"];
export const FAMILY_CONDITIONS = [
  "colon cancer at age 58", "breast cancer at age 46", "myocardial infarction at age 52", "type 2 diabetes", "stroke in her seventies",
  "hypertension", "prostate cancer", "dementia", "bipolar disorder", "sudden cardiac death at 40", "celiac disease", "glaucoma",
];
export const ADJECTIVES = [
  "sharp", "dull", "burning", "cramping", "pressure-like", "throbbing", "aching", "stabbing", "intermittent", "constant",
  "gnawing", "colicky", "radiating", "localized", "diffuse", "positional", "episodic", "nagging",
];
export const SPECIALISTS = ["cardiologist", "endocrinologist", "nephrologist", "rheumatologist", "gastroenterologist", "neurologist", "dermatologist", "psychiatrist", "orthopedic surgeon", "pulmonologist", "urologist", "gynecologist"];

// Word-level lists for free narrative: many short independent choices read like dictated text and compress like it.
// Medical terms built from Greek and Latin roots, and drug names built from syllables and real class stems, give the
// text a vocabulary of thousands of words, as real notes have.
export const TERM_ROOTS = [
  "gastr", "cardi", "neur", "nephr", "hepat", "arthr", "oste", "derm", "pulmon", "myel", "enter", "col", "cyst", "encephal",
  "my", "angi", "phleb", "thromb", "lymph", "aden", "rhin", "ot", "ophthalm", "laryng", "pharyng", "trache", "bronch", "pneum",
  "cholecyst", "pancreat", "splen", "thyr", "pyel", "ur", "hem", "vas", "spondyl", "tend", "burs", "chondr", "fasc", "cephal",
  "cerv", "lumb", "pleur", "pericardi", "esophag", "duoden", "ile", "proct", "prostat", "oophor", "hyster", "mast", "sinus",
];
export const TERM_SUFFIXES = [
  "itis", "algia", "opathy", "osis", "ectomy", "ography", "oscopy", "omegaly", "ostomy", "oplasty", "ogram", "otomy",
  "orrhea", "emia", "ocele", "odynia", "ospasm", "olysis", "ostenosis", "omalacia", "oma", "otrophy",
];
export const DRUG_PREFIXES = [
  "vel", "zor", "kel", "tra", "mon", "sar", "lo", "bri", "ca", "de", "fe", "gli", "ha", "ibu", "ja", "le", "mi", "no", "pa",
  "que", "ri", "sol", "te", "ul", "va", "xe", "ze", "ar", "bel", "cor", "dal", "eli", "fin", "gor", "hal", "iro", "lin",
];
export const DRUG_MIDDLES = ["o", "a", "i", "e", "u", "ra", "li", "ma", "no", "ti", "ve", "xa", "zo", "pe", "ro", "ca", "de", "fi"];
export const DRUG_STEMS = [
  "pril", "sartan", "olol", "statin", "mab", "tinib", "azole", "cillin", "floxacin", "gliptin", "prazole", "dipine", "parin",
  "vir", "zepam", "setron", "triptan", "dronate", "gliflozin", "lukast", "terol", "sone", "cycline", "mycin", "xaban",
];

export const NARRATIVE_SUBJECTS = [
  "the pain", "the swelling", "the cough", "the rash", "the headache", "the numbness", "the stiffness", "the fatigue",
  "the dizziness", "the nausea", "the itching", "the tightness", "the burning", "the cramping", "the tingling", "the pressure",
  "her breathing", "his breathing", "her mood", "his mood", "the sleep", "the appetite", "the energy", "the wheeze",
  "the palpitations", "the heartburn", "the bloating", "the reflux", "the spasm", "the soreness", "the ache", "the weakness",
  "the tremor", "the vertigo", "the fever", "the chills", "the sweating", "the urgency", "the frequency", "the incontinence",
  "the constipation", "the diarrhea", "the discharge", "the bleeding", "the bruising", "the hoarseness", "the congestion",
  "the drainage", "the limp", "the clicking", "the locking", "the giving way", "the worry", "the low mood", "the irritability",
];
export const NARRATIVE_VERBS = [
  "worsens", "improves", "persists", "recurs", "fluctuates", "spreads", "settles", "returns", "eases", "flares", "lingers",
  "peaks", "subsides", "builds", "varies", "intensifies", "resolves", "shifts", "starts", "stops", "wakes her", "wakes him",
  "radiates", "migrates", "spikes", "dips", "clusters", "comes back", "goes away", "limits her", "limits him", "bothers her",
  "bothers him", "frightens her", "frightens him", "responds", "lessens", "deepens", "interferes", "appears", "recedes",
];
export const NARRATIVE_ADVERBS = [
  "gradually", "abruptly", "mostly", "occasionally", "markedly", "slightly", "steadily", "noticeably", "quickly", "slowly",
  "partly", "fully", "briefly", "usually", "rarely", "often", "suddenly", "predictably", "unpredictably", "somewhat",
  "reliably", "sporadically", "dramatically", "modestly", "consistently", "inconsistently", "temporarily", "persistently",
  "clearly", "barely", "again", "still", "nightly", "daily", "weekly", "hourly", "repeatedly", "sharply", "mildly",
];
export const NARRATIVE_CONTEXTS = [
  "after walking", "with elevation", "during the night", "before meals", "after meals", "at work", "on cold mornings",
  "with rest", "with activity", "after coffee", "when lying flat", "when bending", "on stairs", "in the shower", "while driving",
  "after the evening dose", "on weekends", "around noon", "with deep breaths", "with coughing", "after lifting", "in crowds",
  "with heat", "with ice", "when anxious", "after long calls", "with screen time", "at the gym", "in the garden", "at church",
  "after swimming", "on the bus", "in the evening", "at dawn", "after dinner", "after breakfast", "during meetings", "on hikes",
  "with spicy food", "after dairy", "after alcohol", "when fasting", "with the new pillow", "after yard work", "while typing",
  "with sneezing", "during menses", "after intercourse", "when standing up", "after a hot bath", "during exams", "on night shifts",
];
export const NARRATIVE_SPEAKERS = ["She", "He", "They", "The patient", "Pt", "Patient", "Her husband", "His wife", "Her daughter", "His son", "The caregiver"];
export const NARRATIVE_SAYS = [
  "states", "reports", "feels", "says", "believes", "notes", "thinks", "explains", "adds", "insists", "worries", "wonders whether",
  "recalls", "suspects", "confirms", "observes", "mentions", "admits", "emphasizes", "doubts whether", "describes how",
];
export const NARRATIVE_LINKS = ["and", "but", "although", "whereas", "while", "so", "because", "since", "though", "yet"];
