/**
 * ISS inclusive placements (ISS Facility Services with SLW; regions Zwolle and Drechtsteden).
 * Source: seeds/003 ("Grensoverstijgend banenkansen creëren").
 *
 * From the source: a uniform approach across labour-market regions for placing
 * and guiding people; the five target groups; guidance by colleagues on the work
 * floor; for heavier or specialist support Jobstap steps in; individual
 * placements and projects such as training tracks for a target group.
 *
 * ASSUMPTIONS (the source gives no durations at all), marked where used:
 * - I1 matching to a placement takes at most 3 months before escalation.
 * - I2 Jobstap support is reviewed after 3 months.
 * - I3 after 12 months of work a decision on a follow-up contract is due
 *   (counted from the first placement).
 * - I4 reminder lead times: 2 weeks before the matching and Jobstap reviews,
 *   1 month before the 12-month decision.
 * - I5 outcomes other than a lasting job: no follow-up contract, no placement
 *   (with a substantiated advice), dropout and withdrawal.
 */
import type { ProgrammeDefinitionInput } from '../programme-schema';

const contractDecision = [
  { on: 'contract-decided', when: { offered: true }, to: { outcome: 'duurzaam-aan-het-werk' }, label: 'Vervolgcontract bij ISS' },
  { on: 'contract-decided', when: { offered: false }, to: { outcome: 'geen-vervolgcontract' }, label: 'Geen vervolgcontract' },
] as const;

export const issInclusive = {
  id: 'iss-inclusief',
  version: 1,
  name: 'ISS inclusieve plaatsingen',
  description:
    'Landelijk uniforme aanpak voor het plaatsen en begeleiden van mensen met een afstand tot de arbeidsmarkt, ' +
    'over de grenzen van arbeidsmarktregio’s heen. De begeleiding vindt in eigen regie plaats door collega’s op ' +
    'de werkvloer; bij zwaardere of specialistische ondersteuningsbehoefte ondersteunt Jobstap.',
  operator: 'employer',
  partners: [
    { role: 'employer', organisation: 'ISS Facility Services', description: 'Plaatst en begeleidt, in eigen regie, door collega’s op de werkvloer.' },
    {
      role: 'intermediary',
      organisation: 'Schakelpunt Landelijke Werkgevers (SLW)',
      description: 'Brengt arbeidsmarktregio’s en landelijke werkgevers bij elkaar.',
    },
    { role: 'specialist', organisation: 'Jobstap', description: 'Zwaardere of specialistische ondersteuning.' },
    { role: 'municipality', organisation: 'Gemeenten in de arbeidsmarktregio', description: 'Voeren de Participatiewet uit.' },
    { role: 'case-manager', organisation: 'Klantmanager van de gemeente' },
  ],
  targetGroups: [
    { id: 'langdurig-participatiewet', label: 'Mensen die langdurig een uitkering ontvangen vanuit de Participatiewet (voorheen bijstand)' },
    { id: 'jongeren-tot-27', label: 'Jongeren tot 27 jaar' },
    { id: 'statushouders', label: 'Statushouders' },
    { id: 'niet-volledig-wml', label: 'Mensen die zonder ondersteuning niet het volledige wettelijk minimumloon kunnen verdienen' },
    { id: 'jonggehandicapten-banenafspraak', label: 'Jonggehandicapten (indicatie banenafspraak)' },
  ],
  regions: [
    { id: 'regio-zwolle', name: 'Arbeidsmarktregio Regio Zwolle' },
    { id: 'drechtsteden', name: 'Arbeidsmarktregio Drechtsteden' },
  ],
  variants: [
    { id: 'individuele-plaatsing', name: 'Individuele plaatsing' },
    {
      id: 'project',
      name: 'Project',
      description: 'Bijvoorbeeld een opleidingstraject voor een specifieke doelgroep, opgezet met opdrachtgevers en arbeidsmarktregio.',
    },
  ],
  phases: [
    {
      id: 'matching',
      name: 'Matching en plaatsing',
      description: 'ISS bekijkt met opdrachtgevers en arbeidsmarktregio welke behoefte er is en zoekt een passende plek.',
      responsibleRole: 'employer',
      duration: { months: 3 }, // I1
      deadlineLabel: 'Plaatsing',
      reminders: [{ before: { weeks: 2 }, notify: ['employer', 'case-manager'] }], // I4
      onDeadline: { escalateTo: ['employer', 'intermediary'] },
      transitions: [
        { on: 'placement', to: { phase: 'begeleiding-werkvloer' }, label: 'Geplaatst bij ISS' },
        { on: 'advice-delivered', to: { outcome: 'geen-plaatsing' } },
      ],
      accepts: ['assessment-completed'],
    },
    {
      id: 'begeleiding-werkvloer',
      name: 'Werken met begeleiding door collega’s op de werkvloer',
      responsibleRole: 'employer',
      transitions: [
        { on: 'support-requested', to: { phase: 'ondersteuning-jobstap' }, label: 'Zwaardere of specialistische ondersteuning nodig' },
        ...contractDecision,
      ],
      accepts: ['diploma-obtained', 'assessment-completed'],
    },
    {
      id: 'ondersteuning-jobstap',
      name: 'Zwaardere of specialistische ondersteuning door Jobstap',
      responsibleRole: 'specialist',
      duration: { months: 3 }, // I2
      deadlineLabel: 'Evaluatie ondersteuning Jobstap',
      reminders: [{ before: { weeks: 2 }, notify: ['specialist', 'employer'] }], // I4
      onDeadline: { escalateTo: ['specialist', 'employer'] },
      transitions: [
        { on: 'support-concluded', to: { phase: 'begeleiding-werkvloer' }, label: 'Terug naar begeleiding op de werkvloer' },
        ...contractDecision,
      ],
      accepts: ['assessment-completed'],
    },
  ],
  deadlines: [
    {
      id: 'besluit-vervolgcontract',
      label: 'Besluit over een vervolgcontract na 12 maanden werken',
      startsWhenEntering: 'begeleiding-werkvloer', // I3
      after: { months: 12 },
      satisfiedBy: ['contract-decided'],
      reminders: [{ before: { months: 1 }, notify: ['employer', 'case-manager'] }], // I4
      escalateTo: ['employer', 'intermediary'],
    },
  ],
  transitionsInAnyPhase: [
    { on: 'withdrawal', to: { outcome: 'teruggetrokken' } },
    { on: 'dropout', to: { outcome: 'uitval' } },
  ],
  acceptsInAnyPhase: ['case-manager-changed'],
  outcomes: [
    { id: 'duurzaam-aan-het-werk', label: 'Duurzaam aan het werk bij ISS', category: 'work' },
    // I5
    { id: 'geen-vervolgcontract', label: 'Geen vervolgcontract bij ISS', category: 'no-placement' },
    { id: 'geen-plaatsing', label: 'Geen plaatsing; onderbouwd advies voor een vervolg', category: 'no-placement' },
    { id: 'uitval', label: 'Uitval', category: 'dropout' },
    { id: 'teruggetrokken', label: 'Traject beëindigd (teruggetrokken)', category: 'withdrawn' },
  ],
  notifications: [
    { event: 'trajectory-started', notify: ['employer', 'case-manager'] },
    { event: 'placement', notify: ['case-manager', 'municipality', 'intermediary'] },
    { event: 'support-requested', notify: ['specialist', 'case-manager'] },
    { event: 'support-concluded', notify: ['employer', 'case-manager'] },
    { event: 'contract-decided', notify: ['case-manager', 'municipality', 'intermediary'] },
    { event: 'dropout', notify: ['case-manager', 'municipality', 'employer'] },
    { event: 'needs-attention', notify: ['employer', 'case-manager'] },
    { event: 'trajectory-ended', notify: ['case-manager', 'municipality', 'intermediary'] },
  ],
} satisfies ProgrammeDefinitionInput;
