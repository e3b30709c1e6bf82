/**
 * Project WelSlagen (Calibris with AO Consult; regions West-Brabant, Zeeland, Drechtsteden).
 * Source: seeds/002 ("Project WelSlagen succesvol werkgelegenheidsproject").
 *
 * From the source: unemployed people without a starting qualification into care
 * and welfare at MBO level 3; a feeder track of 20 weeks with 3 days a week
 * internship at a care or welfare employer and 1 day at the ROC, keeping the
 * benefit; after 20 weeks on to a regular BBL track; a recruitment and selection
 * playbook and a guidance model with a job coach; new rounds each autumn and
 * spring in all three regions; a diversity variant in West-Brabant; the first
 * pilot had about 20 participants.
 *
 * ASSUMPTIONS (not in the source), marked where used:
 * - W1 the autumn round starts on 1 September and the spring round on 1 March.
 * - W2 the trajectory ends when the participant starts the BBL track.
 * - W3 reminder 4 weeks before the end of the 20 weeks, so school, employer and
 *   job coach arrange the BBL place in time.
 * - W4 outcomes for no move to BBL (with a substantiated advice), dropout and withdrawal.
 * - W5 AO Consult, the project lead, is the operator.
 */
import type { ProgrammeDefinitionInput } from '../programme-schema';

export const welslagen = {
  id: 'welslagen',
  version: 1,
  name: 'Project WelSlagen',
  description:
    'Zij-instromers zonder startkwalificatie naar een baan in zorg en welzijn op MBO-niveau 3: een ' +
    'toeleidingstraject van 20 weken en daarna een regulier BBL-traject. Ontworpen door kenniscentrum ' +
    'Calibris samen met AO Consult; werving en selectie volgens een uitgebreid draaiboek en een ' +
    'begeleidingsmodel met onder meer een jobcoach. Onderwijs, overheid en werkgevers leggen hun afspraken ' +
    'vast in regionale samenwerkingsconvenanten.',
  operator: 'project-lead', // W5
  partners: [
    { role: 'project-lead', organisation: 'AO Consult', description: 'Projectleiding; werving en selectie volgens het draaiboek.' },
    { role: 'knowledge-centre', organisation: 'Calibris', description: 'Kenniscentrum; ontwierp het project met AO Consult.' },
    { role: 'municipality', organisation: 'Gemeenten in de regio', description: 'Verstrekken de uitkering (met behoud van uitkering).' },
    { role: 'benefit-agency', organisation: 'UWV', description: 'Verstrekt de uitkering van UWV-klanten.' },
    { role: 'employer', organisation: 'Werkgever in zorg en welzijn in de regio', description: 'Stageplaats, daarna de BBL-werkplek.' },
    { role: 'school', organisation: 'ROC in de regio', description: 'Eén lesdag per week; daarna het BBL-traject.' },
    { role: 'job-coach', organisation: 'Jobcoach (begeleidingsmodel WelSlagen)', description: 'Persoonlijke begeleiding op de werkvloer.' },
  ],
  targetGroups: [
    { id: 'werklozen-zonder-startkwalificatie', label: 'Werklozen zonder startkwalificatie (zij-instromers)' },
    { id: 'uitkeringsgerechtigden', label: 'Uitkeringsgerechtigden van gemeente of UWV' },
  ],
  eligibility: ['Geen startkwalificatie', 'Geschikt voor een opleiding in zorg en welzijn op MBO-niveau 3'],
  regions: [
    { id: 'west-brabant', name: 'West-Brabant' },
    { id: 'zeeland', name: 'Zeeland' },
    { id: 'drechtsteden', name: 'Drechtsteden' },
  ],
  variants: [
    {
      id: 'diversiteitsvariant',
      name: 'Diversiteitsvariant',
      description: 'Toegevoegd in West-Brabant, zodat het personeel een afspiegeling is van de steeds diversere cliënten.',
      regions: ['west-brabant'],
    },
  ],
  intake: {
    mode: 'cohorts',
    perRegion: true,
    cohorts: [
      { id: 'najaar', label: 'Najaarsronde', startMonth: 9, startDay: 1 }, // W1
      { id: 'voorjaar', label: 'Voorjaarsronde', startMonth: 3, startDay: 1 }, // W1
    ],
  },
  phases: [
    {
      id: 'toeleidingstraject',
      name: 'Toeleidingstraject',
      description:
        '20 weken: 3 dagen per week stage bij een werkgever in zorg en welzijn en 1 dag per week naar het ROC, ' +
        'met behoud van uitkering, begeleid door een jobcoach.',
      responsibleRole: 'job-coach',
      duration: { weeks: 20 },
      deadlineLabel: 'Einde toeleidingstraject: doorstroom naar BBL',
      keepsBenefit: true,
      weeklySchedule: [
        { activity: 'Stage bij een werkgever in zorg en welzijn', daysPerWeek: 3, at: 'employer' },
        { activity: 'Lesdag op het ROC', daysPerWeek: 1, at: 'school' },
      ],
      reminders: [{ before: { weeks: 4 }, notify: ['school', 'employer', 'job-coach'] }], // W3
      onDeadline: { escalateTo: ['project-lead', 'job-coach'] },
      transitions: [
        { on: 'education-started', to: { outcome: 'doorstroom-bbl' }, label: 'Gestart met het BBL-traject' }, // W2
        { on: 'advice-delivered', to: { outcome: 'geen-doorstroom-bbl' } },
      ],
      accepts: ['assessment-completed'],
    },
  ],
  transitionsInAnyPhase: [
    { on: 'withdrawal', to: { outcome: 'teruggetrokken' } },
    { on: 'dropout', to: { outcome: 'uitval' } },
  ],
  acceptsInAnyPhase: ['case-manager-changed'],
  outcomes: [
    { id: 'doorstroom-bbl', label: 'Doorgestroomd naar een regulier BBL-traject in zorg en welzijn', category: 'education' },
    // W4
    { id: 'geen-doorstroom-bbl', label: 'Geen doorstroom naar BBL; onderbouwd advies voor een vervolg', category: 'no-placement' },
    { id: 'uitval', label: 'Uitval tijdens het toeleidingstraject', category: 'dropout' },
    { id: 'teruggetrokken', label: 'Traject beëindigd (teruggetrokken)', category: 'withdrawn' },
  ],
  notifications: [
    { event: 'trajectory-started', notify: ['job-coach', 'school', 'employer'] },
    { event: 'assessment-completed', notify: ['project-lead'] },
    { event: 'dropout', notify: ['job-coach', 'project-lead', 'municipality', 'benefit-agency'] },
    { event: 'education-started', notify: ['project-lead', 'municipality', 'benefit-agency'] },
    { event: 'needs-attention', notify: ['job-coach', 'project-lead'] },
    { event: 'trajectory-ended', notify: ['project-lead', 'municipality', 'benefit-agency'] },
  ],
  expectations: { cohortSize: 20, note: 'De eerste proef in West-Brabant had aanvankelijk zo’n 20 deelnemers.' },
} satisfies ProgrammeDefinitionInput;
