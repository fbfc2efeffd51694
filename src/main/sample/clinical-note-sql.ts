import * as V from "./clinical-vocabulary.ts";
import { dec, int, maybe, oneOf, pick, tpl } from "./sql-random.ts";

// A SOAP note as one SQL expression. Sentences come from templates whose slots draw words, names, doses and numbers,
// and whose wording varies ([a|b]), so no two notes are alike while the headings and phrasing repeat the way real
// notes do. The mix is tuned so a dump compresses about 3x with zstd -1, like real clinical text.

const meds = V.MEDICATIONS.map((m) => m[0]);
const doses = [...new Set(V.MEDICATIONS.map((m) => m[1]))];

const s = {
  first: pick(V.FIRST_NAMES),
  last: pick(V.LAST_NAMES),
  age: int(18, 94),
  sex: pick(["male", "female", "woman", "man", "patient"]),
  history: pick(V.HISTORY),
  history2: pick(V.HISTORY),
  symptom: pick(V.SYMPTOMS),
  duration: pick(V.DURATIONS),
  severity: pick(V.SEVERITIES),
  modifier: pick(V.MODIFIERS),
  denial: pick(V.DENIALS),
  denial2: pick(V.DENIALS),
  denial3: pick(V.DENIALS),
  med: pick(meds),
  med2: pick(meds),
  med3: pick(meds),
  dose: pick(doses),
  dose2: pick(doses),
  freq: pick(V.FREQUENCIES),
  freq2: pick(V.FREQUENCIES),
  assessment: pick(V.ASSESSMENTS),
  assessment2: pick(V.ASSESSMENTS),
  icd: pick(V.ICD10),
  action: pick(V.PLAN_ACTIONS),
  followup: pick(V.FOLLOW_UPS),
  allergen: pick(V.ALLERGENS),
  site: pick(V.BODY_SITES),
  lesion: pick(V.LESIONS),
  size: pick(V.SIZES_CM),
  event: pick(V.EVENTS),
  month: pick(V.MONTHS),
  relative: pick(V.RELATIVES),
  relative2: pick(V.RELATIVES),
  familyCondition: pick(V.FAMILY_CONDITIONS),
  familyCondition2: pick(V.FAMILY_CONDITIONS),
  adj: pick(V.ADJECTIVES),
  adj2: pick(V.ADJECTIVES),
  specialist: pick(V.SPECIALISTS),
  year: int(2015, 2025),
  day: int(1, 28),
  n2: int(2, 9),
  n10: int(1, 10),
  n30: int(2, 30),
  n60: int(2, 60),
  n90: int(0, 90),
  adherence: pick([
    "good adherence",
    "occasional missed doses",
    "poor adherence due to cost",
    "no side effects",
    "mild GI upset",
    "some dizziness after doses",
    "trouble remembering evening doses",
    "ankle swelling it attributes to the drug",
  ]),
  sleep: pick([
    "wakes twice to urinate",
    "difficulty falling asleep",
    "snoring reported by partner",
    "no daytime somnolence",
    "naps daily",
    "early morning awakening",
    "vivid dreams since the dose change",
  ]),
  living: pick([
    "alone in an apartment",
    "with spouse",
    "with two children",
    "with an adult daughter",
    "in an assisted living facility",
    "with roommates",
    "with a partner and a dog",
    "with elderly parents",
  ]),
  work: pick([
    "works night shifts as a nurse",
    "retired teacher",
    "office worker, mostly sedentary",
    "construction worker",
    "unemployed since spring",
    "university student",
    "works from home",
    "truck driver",
    "restaurant cook",
    "retired electrician",
  ]),
  smoking: pick([
    "never smoker",
    "former smoker, quit 10 years ago",
    "current smoker, half a pack per day",
    "vapes daily",
    "20 pack-year history",
    "quit smoking last year",
    "occasional cannabis use",
  ]),
  trend: pick([
    "improved",
    "unchanged",
    "slightly worse",
    "much better",
    "not at goal",
    "at goal",
    "fluctuating",
    "partially improved",
  ]),
  topic: pick([
    "risks and benefits of statin therapy",
    "warning signs that need urgent care",
    "diet and exercise goals",
    "sick-day rules for metformin",
    "fall prevention at home",
    "safe use of NSAIDs",
    "sleep hygiene",
    "inhaler technique and spacer use",
    "advance care planning",
    "home glucose monitoring",
    "salt restriction",
    "alcohol reduction",
  ]),
  reaction: pick(["rash", "hives", "anaphylaxis", "GI upset", "angioedema", "unknown reaction", "wheezing", "itching"]),
};

const term = `(${pick(V.TERM_ROOTS)} || ${pick(V.TERM_SUFFIXES)})`;
const drug = `initcap(${pick(V.DRUG_PREFIXES)} || ${pick(V.DRUG_MIDDLES)} || ${pick(V.DRUG_STEMS)})`;
const impression = tpl(
  "[Findings suggest|Picture consistent with|Query|Working diagnosis:|Likely] {t1} [with|without|and possible|complicated by] {t2}; [cannot exclude|less likely|rule out|consider] {t3}.",
  {
    t1: term,
    t2: term,
    t3: term,
  },
);
const drugNote = tpl(
  "[Previously tried|Failed|Intolerant of|Did well on|Was switched from] {d1} {n} mg [to|and then|before|after] {d2} {m} mg [in|during|around] {month} {year}.",
  {
    ...s,
    d1: drug,
    d2: drug,
    n: int(1, 400),
    m: int(1, 400),
  },
);

const narrative = tpl("{who} {says} {subj} {verb} {adv} {ctx}, {link} {subj2} {verb2} {adv2} {ctx2}.", {
  who: pick(V.NARRATIVE_SPEAKERS),
  says: pick(V.NARRATIVE_SAYS),
  subj: pick(V.NARRATIVE_SUBJECTS),
  verb: pick(V.NARRATIVE_VERBS),
  adv: pick(V.NARRATIVE_ADVERBS),
  ctx: pick(V.NARRATIVE_CONTEXTS),
  link: pick(V.NARRATIVE_LINKS),
  subj2: pick(V.NARRATIVE_SUBJECTS),
  verb2: pick(V.NARRATIVE_VERBS),
  adv2: pick(V.NARRATIVE_ADVERBS),
  ctx2: pick(V.NARRATIVE_CONTEXTS),
});

const subjective = [
  narrative,
  narrative,
  narrative,
  drugNote,
  impression,
  tpl(
    "{first} is a {age}-year-old {sex} with [a history of|a background of|known|a past medical history of] {history} and {history2} who [presents with|comes in for|reports|is seen today for] {symptom} {duration}.",
    s,
  ),
  tpl("[Reports|Complains of|Endorses|Describes|Notes] {symptom}, {severity}, {modifier}.", s),
  tpl("[Denies|No|Negative for|Has not had any] {denial}, {denial2} or {denial3}.", s),
  tpl("[Pain|Discomfort] [rated|scored|graded] {n10}/10 at worst and {n2}/10 [today|at present|this morning].", s),
  tpl("[Has been taking|Continues|Remains on|Takes] {med} {dose} {freq} with {adherence}.", s),
  tpl(
    "[Home glucose readings|Fingerstick glucose values|Glucometer readings] range from {a} to {b} mg/dL over the past {n2} [weeks|days].",
    { ...s, a: int(70, 160), b: int(161, 340) },
  ),
  tpl(
    "[Home blood pressure log|Home BP readings|Pharmacy BP checks] [average|run around|are about] {a}/{b} mmHg, {trend} since the last visit.",
    { ...s, a: int(108, 176), b: int(62, 106) },
  ),
  tpl("[Sleeping|Sleeps|Gets] about {n2} hours [per night|a night|nightly]; {sleep}.", s),
  tpl("[Lives|Living|Currently lives] {living}; {work}.", s),
  tpl("Smoking: {smoking}. Alcohol: {n30} [drinks per week|units weekly|drinks a week].", s),
  tpl("Last seen {n60} [weeks|days] ago for {assessment}, which is {trend}.", s),
  tpl("[Allergic to|Allergy:|Reports intolerance to] {allergen} ({reaction}).", s),
  tpl("[Also notes|Additionally reports|Mentions] {symptom} {duration}, {modifier}.", s),
  tpl("[Describes|Characterizes] the pain in the {site} as {adj} and {adj2}, {modifier}.", s),
  tpl("Symptoms [started|began|worsened] after {event} in {month} {year}.", s),
  tpl("Family history: {relative} with {familyCondition}; {relative2} with {familyCondition2}.", s),
  tpl(
    "[Seen|Assessed|Reviewed] by the {specialist} on {month} {day}, {year}, who [recommended|suggested|started] {med} {dose} {freq}.",
    s,
  ),
  tpl("[Noticed|Found|Reports] a {lesion} on the {site} about {n60} days ago, roughly {size} cm across.", s),
  tpl(
    "[Recent labs|Labs] from {month} {day}: HbA1c {a}%, LDL {l} mg/dL, creatinine {cr} mg/dL, eGFR {e}, TSH {t} mIU/L.",
    { ...s, a: dec(5.1, 11.8, 1), l: int(48, 212), cr: dec(0.5, 2.9, 2), e: int(18, 119), t: dec(0.2, 9.5, 2) },
  ),
  tpl(
    "[Current medications|Medication list|Meds]: {med} {dose} {freq}, {med2} {dose2} {freq2} and {med3} as needed.",
    s,
  ),
  tpl("Weight {w} kg, {d} kg [up|down|higher|lower] since {month}.", { ...s, w: dec(41, 148, 1), d: dec(0.5, 9.5, 1) }),
  tpl("[Walks|Exercises|Cycles] about {n90} minutes a [day|week]; {smoking}.", s),
];

const objective = [
  pick(V.EXAM_FINDINGS),
  pick(V.EXAM_FINDINGS),
  tpl(
    "General: [well appearing, in no acute distress|appears fatigued|mildly uncomfortable|anxious but cooperative|obese, breathing comfortably|pale and tired-looking].",
    s,
  ),
  tpl("BMI {b} kg/m2, waist {w} cm.", { b: dec(17.5, 44, 1), w: int(68, 138) }),
  tpl(
    "[Point-of-care|Capillary|Fingerstick] glucose {g} mg/dL; urine dipstick [negative|trace protein|1+ leukocytes, nitrite positive|2+ glucose|trace blood|3+ protein].",
    { g: int(72, 390) },
  ),
  tpl("PHQ-9 score {p}, GAD-7 score {g}.", { p: int(0, 27), g: int(0, 21) }),
  tpl(
    "A {size} cm {lesion} on the {site}, [non-tender|mildly tender|warm to touch|with surrounding erythema|well demarcated], without [fluctuance|drainage|induration].",
    s,
  ),
  tpl("Range of motion of the {site} limited to {deg} degrees by pain; strength {st}/5.", {
    ...s,
    deg: int(20, 150),
    st: int(3, 5),
  }),
  tpl("Orthostatic vitals: supine {a}/{b}, standing {c}/{d} mmHg, HR {h1} to {h2}.", {
    a: int(100, 170),
    b: int(60, 100),
    c: int(88, 160),
    d: int(54, 98),
    h1: int(55, 95),
    h2: int(70, 130),
  }),
  tpl(
    "ECG: [sinus rhythm|sinus bradycardia|atrial fibrillation|sinus tachycardia] at {hr} bpm, PR {pr} ms, QRS {qrs} ms, QTc {qt} ms, [no acute ST changes|LVH by voltage|nonspecific T-wave flattening|RBBB|old inferior Q waves].",
    { hr: int(44, 128), pr: int(120, 240), qrs: int(72, 140), qt: int(380, 510) },
  ),
];

// Results tables pasted into notes: mostly numbers, which is where real notes get their entropy.
const labPanel = tpl(
  "[Labs|Results|Bloodwork] {d}: Na {na}, K {k}, Cl {cl}, HCO3 {hco3}, BUN {bun}, Cr {cr}, Glu {glu}, Ca {ca}, Hgb {hgb}, WBC {wbc}, Plt {plt}, ALT {alt}, AST {ast}, TSH {tsh}, A1c {a1c}%.",
  {
    d: `to_char(date '2023-01-01' + ${int(0, 1100)}, 'YYYY-MM-DD')`,
    na: int(128, 148),
    k: dec(3.0, 5.9, 1),
    cl: int(94, 112),
    hco3: int(18, 32),
    bun: int(5, 48),
    cr: dec(0.5, 3.2, 2),
    glu: int(62, 388),
    ca: dec(8.1, 10.9, 1),
    hgb: dec(8.2, 17.4, 1),
    wbc: dec(2.9, 17.8, 1),
    plt: int(92, 488),
    alt: int(8, 140),
    ast: int(9, 120),
    tsh: dec(0.1, 9.9, 2),
    a1c: dec(4.8, 12.4, 1),
  },
);
const medList = tpl(
  "[Medications reconciled|Med rec|Active medications]: {m1} {d1} {f1}; {m2} {d2} {f2}; {m3} {d3} {f3}; {m4} {d4}.",
  {
    m1: pick(meds),
    d1: pick(doses),
    f1: pick(V.FREQUENCIES),
    m2: pick(meds),
    d2: pick(doses),
    f2: pick(V.FREQUENCIES),
    m3: pick(meds),
    d3: pick(doses),
    f3: pick(V.FREQUENCIES),
    m4: pick(meds),
    d4: pick(doses),
  },
);

const vitals = tpl(
  "[Vitals|VS]: BP {sys}/{dia} mmHg, HR {hr}, RR {rr}, [Temp|T] {t} C, SpO2 {o}%[ on room air| RA| on 2 L nasal cannula|], [weight|wt] {w} kg.",
  {
    sys: int(96, 178),
    dia: int(56, 108),
    hr: int(48, 122),
    rr: int(11, 26),
    t: dec(35.9, 39.4, 1),
    o: int(89, 100),
    w: dec(41, 148, 1),
  },
);

function assessment(n: number): string {
  return oneOf([
    tpl(`${n}. {t} ({icd}), {trend}; [secondary|related|incidental] {t2}.`, { ...s, t: term, t2: term }),
    tpl(`${n}. {assessment} ({icd}), {trend}.`, s),
    tpl(`${n}. {assessment} ({icd}). [Likely related to|Possibly secondary to|Aggravated by] {history}; {trend}.`, s),
    tpl(`${n}. {symptom}, [differential includes|consider|ddx] {assessment} [and|versus|or] {assessment2} ({icd}).`, s),
  ]);
}

const plan = [
  narrative,
  drugNote,
  tpl(
    "[Consider|Will consider|Discussed] {d} {n} mg {freq} if no response[ by next visit| in 4 weeks| to current therapy].",
    { ...s, d: drug, n: int(1, 400) },
  ),
  tpl("[Start|Begin|Trial of] {med} {dose} [PO|PO|SC|INH|topically] {freq} for {n30} days.", s),
  tpl("[Continue|Keep on|No change to] {med} {dose} {freq}.", s),
  tpl("[Increase|Titrate|Adjust] {med} to {dose} {freq}; recheck {followup}.", s),
  tpl("[Stop|Discontinue|Hold] {med} because of {adherence}.", s),
  tpl("{action} {followup}.", s),
  tpl("{action}; [results to be reviewed|will review results|call with results] {followup}.", s),
  tpl("Discussed {topic}; [patient verbalized understanding|questions answered|handout given].", s),
  tpl("Target A1c below {a}% and LDL below {l} mg/dL.", { a: dec(6.5, 8.0, 1), l: int(55, 100) }),
  tpl("Return precautions [given|reviewed] for {denial} or {denial2}.", s),
  tpl("[Prescribed|Sent to pharmacy:] {med} {dose}, dispense {q}, {r} refills, {freq}.", {
    ...s,
    q: int(10, 180),
    r: int(0, 5),
  }),
  tpl("[Letter|Referral] sent to the {specialist} [requesting review|for an opinion] within {n10} weeks.", s),
  tpl(
    "Booked [an ultrasound|a CT scan|an MRI|a stress test|spirometry|a bone density scan|a colonoscopy] for {month} {day}.",
    s,
  ),
  tpl("Recheck [BP and potassium|creatinine|CBC|liver enzymes|INR] in {n30} days after the dose change.", s),
];

/** `createdAt` is the SQL expression of the note's timestamp, so the header and signature agree with the row. */
export function clinicalNoteContentSql(createdAt: string): string {
  const header = tpl("{title} | {when} | Dr. {dr} ({cred}) | Encounter {enc} | Room {room}", {
    title: pick(V.NOTE_TITLES),
    when: `to_char(${createdAt}, 'YYYY-MM-DD HH24:MI')`,
    dr: `${s.first} || ' ' || ${s.last}`,
    cred: pick(V.CREDENTIALS),
    enc: `upper(substr(md5(random()::text), 1, 10))`,
    room: int(1, 40),
  });
  return `concat_ws(E'\\n',
    ${header},
    ${tpl("[Chief complaint|CC|Reason for visit]: {symptom} {duration}.", s)},
    'SUBJECTIVE:',
    concat_ws(' ', ${oneOf(subjective)}, ${oneOf(subjective)}, ${oneOf(subjective)}, ${maybe(0.8, oneOf(subjective))}, ${maybe(0.6, oneOf(subjective))}, ${maybe(0.4, oneOf(subjective))}),
    'OBJECTIVE:',
    ${vitals},
    ${maybe(0.7, labPanel)},
    ${maybe(0.5, medList)},
    concat_ws(' ', ${oneOf(objective)}, ${oneOf(objective)}, ${maybe(0.7, oneOf(objective))}, ${maybe(0.4, oneOf(objective))}),
    'ASSESSMENT:',
    concat_ws(E'\\n', ${assessment(1)}, ${maybe(0.6, assessment(2))}, ${maybe(0.3, assessment(3))}),
    'PLAN:',
    concat_ws(E'\\n', ${oneOf(plan)}, ${oneOf(plan)}, ${maybe(0.8, oneOf(plan))}, ${maybe(0.6, oneOf(plan))}, ${maybe(0.3, oneOf(plan))}),
    ${tpl("[Electronically signed by|Signed:|e-signed by] {first} {last}, {cred} on {when}.", { ...s, cred: pick(V.CREDENTIALS), when: `to_char(${createdAt} + random() * interval '3 hours', 'YYYY-MM-DD HH24:MI')` })})`;
}
