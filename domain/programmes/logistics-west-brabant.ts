/**
 * Logistics pilot West-Brabant (Werkplein Hart van West-Brabant, WVS, Randstad).
 * Source: seeds/001 (press release, Diemen 15 March).
 *
 * From the source: Werkplein serves Etten-Leur, Halderberge, Moerdijk, Rucphen,
 * Roosendaal and Zundert; WVS gives a learning-work track with competences and
 * logistics skills; then a one-year contract with a minimum monthly wage (not an
 * hourly wage), working for one or more employers wherever suitable work is;
 * support to keep working (guidance on the work floor, certification of work
 * experience, language support, training); goal: after the first year move on
 * independently to other work.
 *
 * ASSUMPTIONS (not in the source), marked where used:
 * - L1 the WVS learning-work track lasts 3 months.
 * - L2 the one-year contract starts with a `placement`; each employer's part is
 *   an `assignment-started` / `assignment-ended` pair.
 * - L3 after the year there are 3 months to report the onward move before the
 *   deadline escalates.
 * - L4 reminder lead times: 2 weeks before the end of the learning-work track,
 *   2 months before the end of the one-year contract.
 * - L5 outcomes for no contract, no onward work (each with a substantiated advice),
 *   dropout and withdrawal.
 * - L6 the operator is Werkplein Hart van West-Brabant.
 */
import type { ProgrammeDefinitionInput } from '../programme-schema';

export const logisticsWestBrabant = {
  id: 'logistiek-west-brabant',
  version: 1,
  name: 'Pilot logistiek West-Brabant',
  description:
    'Opstap naar duurzaam werk in de lokale logistieke dienstverlening: een leerwerktraject bij WVS en daarna ' +
    'een jaarcontract met een marktconform minimum maandloon (geen minimumuurloon). De werknemer werkt bij één ' +
    'of meerdere werkgevers, afhankelijk van waar op dat moment passend werk is, met begeleiding op de werkvloer, ' +
    'certificering van werkervaring, taalondersteuning en opleidingen. Doel: na het eerste jaar zelfstandig ' +
    'doorstromen naar ander werk.',
  operator: 'municipality', // L6
  partners: [
    {
      role: 'municipality',
      organisation: 'Werkplein Hart van West-Brabant',
      description: 'Werkt voor de gemeenten Etten-Leur, Halderberge, Moerdijk, Rucphen, Roosendaal en Zundert.',
    },
    { role: 'case-manager', organisation: 'Werkplein Hart van West-Brabant (klantmanager)' },
    { role: 'training-company', organisation: 'WVS', description: 'Leerwerkbedrijf; leerwerktraject met competenties en logistieke vakvaardigheden.' },
    {
      role: 'intermediary',
      organisation: 'Randstad HR Solutions',
      description: 'Maakt met werkgevers en gemeenten werk- en inkomenszekerheid over meerdere werkgevers mogelijk.',
    },
    { role: 'employer', organisation: 'Logistieke werkgevers in West-Brabant', description: 'Bieden passend werk binnen het jaarcontract.' },
  ],
  targetGroups: [{ id: 'afstand-arbeidsmarkt', label: 'Mensen met een afstand tot de arbeidsmarkt, vanuit een uitkering' }],
  regions: [
    {
      id: 'hart-van-west-brabant',
      name: 'Hart van West-Brabant',
      municipalities: ['Etten-Leur', 'Halderberge', 'Moerdijk', 'Rucphen', 'Roosendaal', 'Zundert'],
    },
  ],
  phases: [
    {
      id: 'leerwerktraject',
      name: 'Leerwerktraject bij WVS',
      description: 'Competenties en logistieke vakvaardigheden; weer ervaren wat het is om aan het werk te zijn.',
      responsibleRole: 'training-company',
      duration: { months: 3 }, // L1
      deadlineLabel: 'Einde leerwerktraject',
      keepsBenefit: true,
      reminders: [{ before: { weeks: 2 }, notify: ['training-company', 'intermediary'] }], // L4
      onDeadline: { escalateTo: ['training-company', 'case-manager'] },
      transitions: [
        { on: 'placement', to: { phase: 'jaarcontract' }, label: 'Start jaarcontract' }, // L2
        { on: 'advice-delivered', to: { outcome: 'geen-jaarcontract' } },
      ],
      accepts: ['assessment-completed'],
    },
    {
      id: 'jaarcontract',
      name: 'Jaarcontract bij één of meerdere werkgevers',
      description:
        'Minimum maandloon; werk bij één of meerdere logistieke werkgevers, met begeleiding op de werkvloer, ' +
        'certificering van werkervaring, taalondersteuning en opleidingen.',
      responsibleRole: 'intermediary',
      duration: { months: 12 },
      deadlineLabel: 'Einde jaarcontract',
      reminders: [{ before: { months: 2 }, notify: ['intermediary', 'training-company', 'case-manager'] }], // L4
      onDeadline: { advanceTo: { phase: 'doorstroom' } },
      transitions: [{ on: 'placement', to: { outcome: 'doorgestroomd-naar-werk' }, label: 'Zelfstandig doorgestroomd naar ander werk' }],
      accepts: ['assignment-started', 'assignment-ended', 'diploma-obtained'],
    },
    {
      id: 'doorstroom',
      name: 'Doorstroom naar ander werk na het eerste jaar',
      responsibleRole: 'intermediary',
      duration: { months: 3 }, // L3
      deadlineLabel: 'Doorstroom naar ander werk',
      onDeadline: { escalateTo: ['intermediary', 'case-manager'] },
      transitions: [
        { on: 'placement', to: { outcome: 'doorgestroomd-naar-werk' }, label: 'Zelfstandig doorgestroomd naar ander werk' },
        { on: 'advice-delivered', to: { outcome: 'geen-doorstroom' } },
      ],
      accepts: ['assignment-ended'],
    },
  ],
  transitionsInAnyPhase: [
    { on: 'withdrawal', to: { outcome: 'teruggetrokken' } },
    { on: 'dropout', to: { outcome: 'uitval' } },
  ],
  acceptsInAnyPhase: ['case-manager-changed'],
  outcomes: [
    { id: 'doorgestroomd-naar-werk', label: 'Zelfstandig doorgestroomd naar ander werk', category: 'work' },
    // L5
    { id: 'geen-jaarcontract', label: 'Geen jaarcontract na het leerwerktraject; onderbouwd advies voor een vervolg', category: 'no-placement' },
    { id: 'geen-doorstroom', label: 'Geen doorstroom naar ander werk na het jaarcontract; onderbouwd advies voor een vervolg', category: 'no-placement' },
    { id: 'uitval', label: 'Uitval', category: 'dropout' },
    { id: 'teruggetrokken', label: 'Traject beëindigd (teruggetrokken)', category: 'withdrawn' },
  ],
  notifications: [
    { event: 'trajectory-started', notify: ['training-company', 'case-manager'] },
    { event: 'placement', notify: ['case-manager', 'municipality', 'intermediary', 'training-company'] },
    { event: 'assignment-started', notify: ['intermediary', 'training-company'] },
    { event: 'assignment-ended', notify: ['intermediary', 'training-company'] },
    { event: 'dropout', notify: ['case-manager', 'municipality', 'intermediary', 'training-company'] },
    { event: 'needs-attention', notify: ['intermediary', 'case-manager'] },
    { event: 'trajectory-ended', notify: ['case-manager', 'municipality', 'intermediary', 'training-company'] },
  ],
} satisfies ProgrammeDefinitionInput;
