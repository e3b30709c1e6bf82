/**
 * Balanz@Work Kerkrade (municipality of Kerkrade, Relim, Balanz Facilitair).
 * Source: seeds/000 (press release "Balanz, leerwerkbedrijf en gemeente brengen banen").
 *
 * From the source: people on social assistance into paid work in cleaning at
 * Balanz; 10 places a year, a new participant enters when one gets a permanent
 * job; a pre-track (voorschakeltraject) at Relim; then at Balanz first 3 months of
 * low-threshold experience, then training to the recognised diploma "Basis
 * Opleiding Schoonmaak"; with good performance a permanent contract at the latest
 * 23 months after starting at Balanz.
 *
 * ASSUMPTIONS (not in the source), marked where used:
 * - B1 the pre-track at Relim lasts 3 months (the source gives no length).
 * - B2 the pre-track ends with an assessment whose conclusion is
 *   'ready-for-placement' (on to Balanz) or 'not-suitable'.
 * - B3 reminder lead times: 2 weeks before the end of the pre-track; 2 months and
 *   2 weeks before the 23-month contract deadline.
 * - B4 the 23 months count from the first day of the introduction period at Balanz.
 * - B5 outcomes for not moving on to Balanz, no contract offered, dropout and withdrawal.
 * - B6 the operator is the municipality, which commissions Relim and holds the covenant.
 */
import type { ProgrammeDefinitionInput } from '../programme-schema';

const contractDecision = [
  { on: 'contract-decided', when: { offered: true }, to: { outcome: 'vast-contract' }, label: 'Vast contract aangeboden' },
  { on: 'contract-decided', when: { offered: false }, to: { outcome: 'geen-vast-contract' }, label: 'Geen vast contract' },
] as const;

export const balanzAtWork = {
  id: 'balanz-at-work-kerkrade',
  version: 1,
  name: 'Balanz@Work Kerkrade',
  description:
    'Leerwerklijn in de schoonmaak: mensen vanuit de bijstand met intensieve begeleiding naar betaald werk ' +
    'bij Balanz Facilitair, met aandacht voor vakvaardigheden, werknemersvaardigheden, sociale vaardigheden, ' +
    'vitaliteit en gezondheid. Gestart met de ondertekening van het convenant op dinsdag 1 juni in het ' +
    'Flexiforum in Kerkrade.',
  operator: 'municipality', // B6
  partners: [
    { role: 'municipality', organisation: 'Gemeente Kerkrade', description: 'Opdrachtgever; verstrekt de bijstandsuitkering.' },
    { role: 'case-manager', organisation: 'Gemeente Kerkrade (klantmanager)', description: 'Verwijst deelnemers en volgt hun traject.' },
    {
      role: 'training-company',
      organisation: 'Relim',
      description: 'Leerwerkbedrijf; begeleidt in opdracht van de gemeente het voorschakeltraject.',
    },
    {
      role: 'employer',
      organisation: 'Balanz Facilitair',
      description: 'Schoonmaakbedrijf; kennismakingsperiode, opleiding en arbeidsovereenkomst voor onbepaalde tijd.',
    },
  ],
  targetGroups: [{ id: 'bijstandsgerechtigden', label: 'Bijstandsgerechtigden met een afstand tot de arbeidsmarkt' }],
  capacity: { placesPerYear: 10, waitingList: true },
  phases: [
    {
      id: 'voorschakeltraject',
      name: 'Voorschakeltraject bij Relim',
      description:
        'Vaardigheden die nodig zijn voor deelname: vakvaardigheden, werknemersvaardigheden, sociale ' +
        'vaardigheden, vitaliteit en gezondheid.',
      responsibleRole: 'training-company',
      duration: { months: 3 }, // B1
      deadlineLabel: 'Einde voorschakeltraject',
      keepsBenefit: true,
      reminders: [{ before: { weeks: 2 }, notify: ['training-company', 'case-manager'] }], // B3
      onDeadline: { escalateTo: ['training-company', 'case-manager'] },
      transitions: [
        // B2
        {
          on: 'assessment-completed',
          when: { conclusion: 'ready-for-placement' },
          to: { phase: 'kennismaking' },
          label: 'Door naar Balanz Facilitair',
        },
        { on: 'assessment-completed', when: { conclusion: 'not-suitable' }, to: { outcome: 'niet-doorgestroomd' } },
      ],
    },
    {
      id: 'kennismaking',
      name: 'Kennismakingsperiode bij Balanz Facilitair',
      description: 'Drie maanden op een laagdrempelige manier ervaring opdoen met werken in de schoonmaakbranche.',
      responsibleRole: 'employer',
      duration: { months: 3 },
      deadlineLabel: 'Einde kennismakingsperiode',
      onDeadline: { advanceTo: { phase: 'opleiding' } },
      transitions: [...contractDecision],
    },
    {
      id: 'opleiding',
      name: 'Opleiding tot erkend schoonmaakmedewerker',
      description: 'Opleiding tot het officiële, door de branche erkende diploma Basis Opleiding Schoonmaak.',
      responsibleRole: 'employer',
      transitions: [
        { on: 'diploma-obtained', to: { phase: 'werken-met-diploma' }, label: 'Diploma Basis Opleiding Schoonmaak behaald' },
        ...contractDecision,
      ],
    },
    {
      id: 'werken-met-diploma',
      name: 'Werken als erkend schoonmaakmedewerker tot het contractbesluit',
      description: 'Bij goed functioneren biedt Balanz Facilitair een arbeidsovereenkomst voor onbepaalde tijd aan.',
      responsibleRole: 'employer',
      transitions: [...contractDecision],
    },
  ],
  deadlines: [
    {
      id: 'contractbesluit-23-maanden',
      label: 'Besluit over een arbeidsovereenkomst voor onbepaalde tijd (uiterlijk 23 maanden na de start bij Balanz)',
      startsWhenEntering: 'kennismaking', // B4
      after: { months: 23 },
      satisfiedBy: ['contract-decided'],
      reminders: [
        { before: { months: 2 }, notify: ['employer', 'municipality', 'training-company'] }, // B3
        { before: { weeks: 2 }, notify: ['employer', 'municipality'] }, // B3
      ],
      escalateTo: ['employer', 'municipality'],
    },
  ],
  transitionsInAnyPhase: [
    { on: 'withdrawal', to: { outcome: 'teruggetrokken' } },
    { on: 'dropout', to: { outcome: 'uitval' } },
  ],
  acceptsInAnyPhase: ['case-manager-changed'],
  outcomes: [
    { id: 'vast-contract', label: 'Arbeidsovereenkomst voor onbepaalde tijd bij Balanz Facilitair', category: 'permanent-contract' },
    // B5
    { id: 'geen-vast-contract', label: 'Geen arbeidsovereenkomst voor onbepaalde tijd aangeboden', category: 'no-placement' },
    { id: 'niet-doorgestroomd', label: 'Na het voorschakeltraject niet doorgestroomd naar Balanz Facilitair', category: 'no-placement' },
    { id: 'uitval', label: 'Uitval', category: 'dropout' },
    { id: 'teruggetrokken', label: 'Traject beëindigd (teruggetrokken)', category: 'withdrawn' },
  ],
  notifications: [
    { event: 'trajectory-started', notify: ['training-company', 'case-manager'] },
    { event: 'phase-entered', phase: 'kennismaking', notify: ['employer', 'case-manager'] },
    { event: 'diploma-obtained', notify: ['municipality', 'case-manager', 'training-company'] },
    { event: 'contract-decided', notify: ['municipality', 'case-manager', 'training-company'] },
    { event: 'dropout', notify: ['municipality', 'case-manager', 'training-company', 'employer'] },
    { event: 'case-manager-changed', notify: ['training-company', 'employer'] },
    { event: 'needs-attention', notify: ['training-company', 'case-manager'] },
    { event: 'trajectory-ended', notify: ['municipality', 'case-manager', 'training-company', 'employer'] },
  ],
} satisfies ProgrammeDefinitionInput;
