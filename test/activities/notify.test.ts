import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { createNotifyActivities, LoggingNotificationSink, MemoryNotificationSink } from '../../activities/notify';
import type { PartnerNotification } from '../../workflows/activities-api';

const notification: PartnerNotification = {
  idempotencyKey: 'traject-kwalificatiebanen-p-1/run-1/5',
  workflowId: 'traject-kwalificatiebanen-p-1',
  programmeId: 'kwalificatiebanen',
  participantRef: 'p-1',
  sequence: 5,
  event: 'placement',
  roles: ['case-manager', 'municipality'],
  occurredAt: '2027-06-15T10:00:00.000Z',
  occurredOn: '2027-06-15',
  phase: { id: 'voortraject', name: 'Voortraject' },
  text: 'Geplaatst bij Havenbedrijf, zonder LKS',
  fields: { employer: 'Havenbedrijf', withLks: false },
};

test('a notification is delivered once per idempotency key, so retries and replays do not repeat it', async () => {
  const sink = new MemoryNotificationSink();
  const { notifyPartners } = createNotifyActivities(sink);
  const env = new MockActivityEnvironment();
  expect(await env.run(notifyPartners, notification)).toEqual({ delivered: true });
  expect(await env.run(notifyPartners, notification)).toEqual({ delivered: false });
  expect(await env.run(notifyPartners, { ...notification, sequence: 6, idempotencyKey: 'traject-kwalificatiebanen-p-1/run-1/6' })).toEqual({ delivered: true });
  expect(sink.forWorkflow('traject-kwalificatiebanen-p-1').map((n) => n.sequence)).toEqual([5, 6]);
});

test('a malformed notification fails without retries', async () => {
  const { notifyPartners } = createNotifyActivities(new MemoryNotificationSink());
  const quiet = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const error = await quiet.run(notifyPartners, { ...notification, roles: [] }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApplicationFailure);
  expect(error).toMatchObject({ type: 'InvalidNotification', nonRetryable: true });
});

test('the logging sink writes the event, roles and trajectory, not the text or fields', async () => {
  const lines: Record<string, unknown>[] = [];
  const { notifyPartners } = createNotifyActivities(new LoggingNotificationSink({ info: (fields) => lines.push(fields) }));
  await new MockActivityEnvironment().run(notifyPartners, notification);
  expect(lines).toEqual([
    {
      idempotencyKey: notification.idempotencyKey,
      workflowId: notification.workflowId,
      event: 'placement',
      roles: ['case-manager', 'municipality'],
      sequence: 5,
      phase: 'voortraject',
    },
  ]);
});
