/** Every built-in programme reaches one of its outcomes; definitions are pinned; an organisation's own definition runs as is. */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { getBuiltInProgramme, type ProgrammeDefinitionInput } from '../../domain';
import { kwalificatiebanen } from '../../domain/programmes';
import { trajectory } from '../../workflows';
import {
  partnerSignals as signal,
  phaseQuery,
  programmeQuery,
  timelineQuery,
  trajectoryStartOptions,
  trajectoryWorkflowId,
} from '../../workflows/api';
import { heard, nextYear, replay, searchAttributes, skipToDate, startHarness, startTrajectory, withWorker, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('programmes');
});
afterAll(async () => {
  await h?.env.teardown();
});

test('each of the five programmes reaches one of its outcomes', async () => {
  const y = await nextYear(h.env);
  await withWorker(h, async () => {
    const start = (programme: string, ref: string, extra: { region?: string; municipality?: string } = {}) =>
      startTrajectory(h, { participantRef: ref, programme, startDate: `${y}-01-10`, attentionAfterWeeks: 104, ...extra });
    const kwb = await start('kwalificatiebanen', 'p-five-kwb', { municipality: 'Rotterdam' });
    const balanz = await start('balanz-at-work-kerkrade', 'p-five-balanz', { municipality: 'Kerkrade' });
    const welslagen = await start('welslagen', 'p-five-wel', { region: 'west-brabant' });
    const welDropout = await start('welslagen', 'p-five-wel-drop', { region: 'zeeland' });
    const logistics = await start('logistiek-west-brabant', 'p-five-log', { region: 'hart-van-west-brabant', municipality: 'Roosendaal' });
    const iss = await start('iss-inclusief', 'p-five-iss', { region: 'regio-zwolle' });

    await skipToDate(h.env, `${y}-02-15`);
    await welDropout.signal(signal.dropout, { reason: 'motivation' });
    await balanz.signal(signal['assessment-completed'], { conclusion: 'ready-for-placement' });
    await iss.signal(signal.placement, { employer: 'ISS Facility Services' });
    await skipToDate(h.env, `${y}-03-01`);
    await logistics.signal(signal.placement, { employer: 'Randstad HR Solutions' });
    await iss.signal(signal['support-requested'], { level: 'specialist' });
    expect(await iss.query(phaseQuery)).toMatchObject({ phaseId: 'ondersteuning-jobstap', deadline: `${y}-06-01` });

    const employers = ['DC Roosendaal', 'Transportbedrijf Moerdijk', 'Koel- en vrieshuis Etten-Leur'];
    for (const [index, employer] of employers.entries()) {
      await skipToDate(h.env, `${y}-0${4 + index * 2}-01`);
      await logistics.signal(signal['assignment-started'], { employer });
      await skipToDate(h.env, `${y}-0${5 + index * 2}-20`);
      await logistics.signal(signal['assignment-ended'], { employer });
    }
    expect(await iss.query(phaseQuery)).toMatchObject({ phaseId: 'ondersteuning-jobstap', deadlineOverdue: true });
    await iss.signal(signal['support-concluded'], {});
    expect(await balanz.query(phaseQuery)).toMatchObject({ phaseId: 'opleiding', enteredOn: `${y}-05-16` });
    await balanz.signal(signal['contract-decided'], { offered: false });

    await skipToDate(h.env, `${y}-05-25`);
    await welslagen.signal(signal['education-started'], { education: 'BBL Verzorgende IG niveau 3' });
    await kwb.signal(signal['advice-delivered'], { followUp: 'zorgtraject' });
    await skipToDate(h.env, `${y}-12-01`);
    await iss.signal(signal['contract-decided'], { offered: true });
    await skipToDate(h.env, `${y + 1}-04-01`);
    expect(await logistics.query(phaseQuery)).toMatchObject({ phaseId: 'doorstroom', enteredOn: `${y + 1}-03-02` });
    await logistics.signal(signal.placement, { employer: 'Bol.com Waalwijk' });

    const outcomes: Record<string, string> = {};
    for (const handle of [kwb, balanz, welslagen, welDropout, logistics, iss]) {
      const result = await handle.result();
      outcomes[handle.workflowId] = result.outcome.id;
      expect((await searchAttributes(handle)).TrajectoryOutcome).toBe(result.outcome.id);
      await replay(h, handle);
    }
    expect(outcomes).toEqual({
      'traject-kwalificatiebanen-p-five-kwb': 'geen-plaatsing-met-advies',
      'traject-balanz-at-work-kerkrade-p-five-balanz': 'geen-vast-contract',
      'traject-welslagen-p-five-wel': 'doorstroom-bbl',
      'traject-welslagen-p-five-wel-drop': 'uitval',
      'traject-logistiek-west-brabant-p-five-log': 'doorgestroomd-naar-werk',
      'traject-iss-inclusief-p-five-iss': 'duurzaam-aan-het-werk',
    });

    expect(heard(h, iss.workflowId)).toEqual(
      expect.arrayContaining(['support-requested: case-manager,specialist', 'deadline-escalation: employer,specialist']),
    );
    expect(heard(h, welDropout.workflowId)).toContain('dropout: benefit-agency,job-coach,municipality,project-lead');
    const assignments = (await logistics.query(timelineQuery)).filter((e) => e.event === 'assignment-started');
    expect(assignments.map((e) => e.fields?.employer)).toEqual(employers);
    expect(heard(h, logistics.workflowId).filter((line) => line.startsWith('assignment-'))).toHaveLength(6);
    expect(await searchAttributes(logistics)).toMatchObject({ TrajectoryRegion: 'hart-van-west-brabant', TrajectoryMunicipality: 'Roosendaal' });
  });
});

test('a trajectory keeps the definition it started with: a new version changes only trajectories started on it', async () => {
  const y = await nextYear(h.env);
  const v2: ProgrammeDefinitionInput = {
    ...kwalificatiebanen,
    version: 2,
    phases: kwalificatiebanen.phases.map((phase) => (phase.id === 'voortraject' ? { ...phase, duration: { months: 2 } } : phase)),
  };
  await withWorker(h, async () => {
    const onV1 = await startTrajectory(h, { participantRef: 'p-pin-v1', programme: 'kwalificatiebanen', startDate: `${y}-01-31` });
    const onV2 = await startTrajectory(h, { participantRef: 'p-pin-v2', programme: v2, startDate: `${y}-01-31` });
    await skipToDate(h.env, `${y}-02-01`);
    expect((await onV1.query(phaseQuery)).deadline).toBe(`${y}-04-30`);
    expect((await onV2.query(phaseQuery)).deadline).toBe(`${y}-03-31`);
    const [pin1, pin2] = [await onV1.query(programmeQuery), await onV2.query(programmeQuery)];
    expect(pin1).toMatchObject({ id: 'kwalificatiebanen', version: 1 });
    expect(pin2).toMatchObject({ id: 'kwalificatiebanen', version: 2 });
    expect(pin1.fingerprint).not.toBe(pin2.fingerprint);
    expect((await onV1.describe()).memo).toEqual({ programmeId: 'kwalificatiebanen', programmeVersion: 1, programmeFingerprint: pin1.fingerprint });
    for (const handle of [onV1, onV2]) {
      await handle.signal(signal.withdrawal, { reason: 'test-done' });
      expect((await handle.result()).programme.fingerprint).toBe((await handle.query(programmeQuery)).fingerprint);
    }
  });
});

test("an organisation's own programme runs without workflow changes", async () => {
  const y = await nextYear(h.env);
  const languageCoaching: ProgrammeDefinitionInput = {
    id: 'taalcoaching-tilburg',
    version: 1,
    name: 'Taalcoaching op de werkvloer',
    operator: 'training-company',
    partners: [
      { role: 'training-company', organisation: 'Taalhuis Tilburg' },
      { role: 'case-manager', organisation: 'Gemeente Tilburg (klantmanager)' },
    ],
    phases: [
      {
        id: 'coaching',
        name: 'Taalcoaching',
        duration: { weeks: 8 },
        onDeadline: { advanceTo: { outcome: 'afgerond-zonder-certificaat' } },
        transitions: [{ on: 'diploma-obtained', to: { outcome: 'certificaat' } }],
      },
    ],
    outcomes: [
      { id: 'certificaat', label: 'Taalcertificaat behaald', category: 'education' },
      { id: 'afgerond-zonder-certificaat', label: 'Afgerond zonder certificaat', category: 'no-placement' },
    ],
    notifications: [{ event: 'trajectory-ended', notify: ['case-manager'] }],
  };
  await withWorker(h, async () => {
    const handle = await startTrajectory(h, { participantRef: 'p-taal-1', programme: languageCoaching, startDate: `${y}-09-01` });
    expect(handle.workflowId).toBe('traject-taalcoaching-tilburg-p-taal-1');
    const result = await handle.result();
    expect(result).toMatchObject({ outcome: { id: 'afgerond-zonder-certificaat' }, endedOn: `${y}-10-27` });
    expect(heard(h, handle.workflowId)).toEqual(['trajectory-ended: case-manager']);
  });
});

test('a start input with personal data or an unknown region is refused', async () => {
  const y = await nextYear(h.env);
  const programme = getBuiltInProgramme('welslagen');
  expect(() => trajectoryStartOptions({ participantRef: 'p-123456782', programme, startDate: `${y}-03-01` })).toThrow(/looks like a BSN/);
  expect(() => trajectoryStartOptions({ participantRef: 'Jan Jansen', programme, startDate: `${y}-03-01` })).toThrow(/pseudonymous reference/);
  await withWorker(h, async () => {
    const handle = await h.env.client.workflow.start(trajectory, {
      taskQueue: h.taskQueue,
      workflowId: trajectoryWorkflowId('welslagen', 'p-bad-region'),
      args: [{ participantRef: 'p-bad-region', programme, startDate: `${y}-03-01`, region: 'limburg' }],
    });
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'InvalidTrajectoryInput', nonRetryable: true });
    expect((cause as ApplicationFailure).message).toMatch(/region: programme "welslagen" has no region "limburg"/);
  });
});
