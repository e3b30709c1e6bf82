/**
 * Kwalificatiebanen (Work2 for the municipality of Rotterdam, since September 2007).
 * Source: seeds/004 (tender text "Traject Kwalificatiebanen").
 *
 * From the source: a 3-month pre-track for every client; an extension of 3 more
 * months (6 at most) only in consultation with and after approval by the
 * klantmanager; 40% of clients expected to need it; placement with or without
 * LKS; intensive guidance during the LKS period and direct re-placement on
 * dropout; always 3 months of aftercare after the LKS period; always one of four
 * results.
 *
 * ASSUMPTIONS (not in the source), marked where used:
 * - A1 reminder lead times (2 weeks before the pre-track deadline, 4 weeks before
 *   the end of LKS, 1 week before the re-placement deadline).
 * - A2 the source says nothing about aftercare after a placement without LKS:
 *   such a placement ends the trajectory at once with its result.
 * - A3 results 2 and 3 overlap in the source ("binnen 6 maanden met of zonder
 *   LKS" / "binnen 6 maanden"). Read as: after the extension, result 2 is a
 *   placement with LKS, result 3 a placement in regular work without LKS.
 * - A4 re-placement after dropout must happen "directly": 4 weeks, then escalation.
 * - A5 outcomes the workflow needs but the four results do not cover:
 *   work found only after 6 months (after a missed deadline), dropout from the
 *   pre-track, and withdrawal.
 */
import type { ProgrammeDefinitionInput } from '../programme-schema';

const resultByPlacement = [
  'werk-binnen-3-maanden',
  'werk-binnen-6-maanden-met-lks',
  'werk-binnen-6-maanden',
  'werk-na-6-maanden',
];

export const kwalificatiebanen = {
  id: 'kwalificatiebanen',
  version: 1,
  name: 'Kwalificatiebanen',
  description:
    'Voortraject van 3 maanden (zo nodig verlengd tot maximaal 6 maanden) en plaatsing op een ' +
    'arbeidsovereenkomst of aanstelling, met of zonder loonkostensubsidie (LKS), met vooruitzicht op ' +
    'een reguliere baan. Als beloning na plaatsing wordt scholing ingezet voor loopbaanperspectief. ' +
    'Work2 voert het traject sinds september 2007 uit voor de gemeente Rotterdam.',
  operator: 'training-company',
  partners: [
    {
      role: 'training-company',
      organisation: 'Work2',
      description: 'Voert het voortraject (real-life assessment), de plaatsing, de begeleiding en de nazorg uit.',
    },
    { role: 'municipality', organisation: 'Gemeente Rotterdam', description: 'Opdrachtgever; verstrekt de uitkering.' },
    {
      role: 'case-manager',
      organisation: 'Gemeente Rotterdam (klantmanager)',
      description: 'Verwijst de klant naar Work2 en keurt een verlenging van het voortraject goed.',
    },
    { role: 'employer', organisation: 'Werkgever van de plaatsing', description: 'Neemt de klant in dienst, met of zonder LKS.' },
  ],
  targetGroups: [
    { id: 'uitkeringsgerechtigden', label: 'Uitkeringsgerechtigden' },
    { id: 'nuggers', label: "Niet-uitkeringsgerechtigde werkzoekenden (NUGGER's)" },
  ],
  eligibility: [
    'Zonder ernstige belemmeringen op fysiek, sociaal of psychisch gebied',
    'Korte afstand tot de arbeidsmarkt',
  ],
  phases: [
    {
      id: 'voortraject',
      name: 'Voortraject',
      description:
        'Belemmeringen in werkinhoud, werktijden of reisafstand (denk aan alleenstaande ouders met jonge ' +
        'kinderen) hanteerbaar maken of oplossen, werken aan motivatie, inzicht geven in de gevolgen van ' +
        'langdurig werkloos zijn en gericht zoeken naar een passende baan.',
      responsibleRole: 'training-company',
      duration: { months: 3 },
      deadlineLabel: 'Einde voortraject',
      keepsBenefit: true,
      extension: {
        duration: { months: 3 },
        maxCount: 1,
        approverRole: 'case-manager',
        escalateTo: ['case-manager', 'training-company'],
        grounds: [
          'Nog zoveel belemmeringen op de route naar de arbeidsmarkt dat de succeskans minimaal wordt of gevreesd moet worden voor een hoog verzuimrisico',
          'De klant heeft eerst nog scholing en/of training nodig, op het gebied van arbeidshouding en -ritme of beroepsgericht',
          'De klant heeft nauwelijks werkervaring',
        ],
      },
      // A1: two weeks' notice before the extension decision / end of the pre-track.
      reminders: [{ before: { weeks: 2 }, notify: ['case-manager', 'training-company'] }],
      onDeadline: { escalateTo: ['training-company', 'case-manager'] },
      transitions: [
        { on: 'placement', when: { withLks: true }, to: { phase: 'plaatsing-met-lks' }, label: 'Geplaatst met LKS' },
        // A2: without LKS the trajectory ends with its result at once.
        { on: 'placement', when: { withLks: false }, to: { outcomeFrom: resultByPlacement }, label: 'Geplaatst zonder LKS' },
        { on: 'advice-delivered', to: { outcome: 'geen-plaatsing-met-advies' }, label: 'Onderbouwd advies voor een vervolgtraject' },
      ],
      accepts: ['assessment-completed'],
    },
    {
      id: 'plaatsing-met-lks',
      name: 'Plaatsing met loonkostensubsidie',
      description:
        'Gedurende de hele LKS-periode intensieve begeleiding om uitval te voorkomen; de LKS wordt zo kort mogelijk ingezet.',
      responsibleRole: 'training-company',
      endsOnPayloadDate: 'lksEndDate',
      deadlineLabel: 'Einde LKS-periode',
      // A1: four weeks before the end of LKS.
      reminders: [{ before: { weeks: 4 }, notify: ['training-company', 'employer', 'case-manager'] }],
      onDeadline: { advanceTo: { phase: 'nazorg' } },
      transitions: [{ on: 'dropout', to: { phase: 'herplaatsing' }, label: 'Uitval: directe doorplaatsing' }],
    },
    {
      id: 'herplaatsing',
      name: 'Directe doorplaatsing na uitval',
      description: 'Bij uitval zorgt Work2 voor directe doorplaatsing in een andere betaalde baan.',
      responsibleRole: 'training-company',
      duration: { weeks: 4 }, // A4
      deadlineLabel: 'Doorplaatsing',
      reminders: [{ before: { weeks: 1 }, notify: ['training-company'] }], // A1
      onDeadline: { escalateTo: ['training-company', 'case-manager'] },
      transitions: [
        { on: 'placement', when: { withLks: true }, to: { phase: 'plaatsing-met-lks' }, label: 'Doorgeplaatst met LKS' },
        { on: 'placement', when: { withLks: false }, to: { outcomeFrom: resultByPlacement }, label: 'Doorgeplaatst zonder LKS' },
        { on: 'advice-delivered', to: { outcome: 'geen-plaatsing-met-advies' } },
      ],
    },
    {
      id: 'nazorg',
      name: 'Nazorg',
      description: 'Na het verstrijken van de LKS-periode volgt altijd een periode van 3 maanden nazorg.',
      responsibleRole: 'training-company',
      duration: { months: 3 },
      deadlineLabel: 'Einde nazorg',
      onDeadline: { advanceTo: { outcomeFrom: resultByPlacement } },
      transitions: [{ on: 'dropout', to: { phase: 'herplaatsing' }, label: 'Uitval tijdens nazorg: doorplaatsing' }],
    },
  ],
  transitionsInAnyPhase: [
    { on: 'withdrawal', to: { outcome: 'teruggetrokken' } },
    { on: 'dropout', to: { outcome: 'uitval' } },
  ],
  acceptsInAnyPhase: ['case-manager-changed'],
  outcomes: [
    {
      id: 'werk-binnen-3-maanden',
      label: 'Uitstroom naar regulier werk binnen 3 maanden met of zonder LKS',
      category: 'work-within-3-months',
      criteria: { placed: true, placedWithin: { months: 3 } },
    },
    {
      id: 'werk-binnen-6-maanden-met-lks', // A3
      label: 'Uitstroom naar regulier werk binnen 6 maanden met of zonder LKS',
      category: 'work-within-6-months',
      criteria: { placed: true, placedWithin: { months: 6 }, withLks: true },
    },
    {
      id: 'werk-binnen-6-maanden', // A3
      label: 'Uitstroom naar regulier werk binnen 6 maanden',
      category: 'work-within-6-months',
      criteria: { placed: true, placedWithin: { months: 6 }, withLks: false },
    },
    {
      id: 'geen-plaatsing-met-advies',
      label: 'Uitstroom zonder plaatsing na 6 maanden met een onderbouwd advies voor een vervolgtraject',
      category: 'no-placement',
    },
    // A5: not among the four results of the source.
    { id: 'werk-na-6-maanden', label: 'Uitstroom naar regulier werk na meer dan 6 maanden', category: 'work' },
    { id: 'uitval', label: 'Uitval zonder plaatsing', category: 'dropout' },
    { id: 'teruggetrokken', label: 'Traject beëindigd (teruggetrokken)', category: 'withdrawn' },
  ],
  notifications: [
    { event: 'trajectory-started', notify: ['training-company', 'case-manager'] },
    { event: 'assessment-completed', notify: ['case-manager'] },
    { event: 'extension-decided', notify: ['training-company', 'case-manager'] },
    { event: 'placement', notify: ['case-manager', 'municipality', 'training-company'] },
    { event: 'dropout', notify: ['case-manager', 'municipality', 'training-company'] },
    { event: 'advice-delivered', notify: ['case-manager'] },
    { event: 'case-manager-changed', notify: ['training-company'] },
    { event: 'phase-entered', phase: 'nazorg', notify: ['employer', 'case-manager'] },
    { event: 'needs-attention', notify: ['training-company', 'case-manager'] },
    { event: 'trajectory-ended', notify: ['case-manager', 'municipality', 'training-company'] },
  ],
  expectations: {
    extensionRate: 0.4,
    note: 'Work2 verwacht dat voor 40% van de klanten na een voortraject van 3 maanden een verlenging van nog eens 3 maanden nodig is.',
  },
} satisfies ProgrammeDefinitionInput;
