import { assertJobWiring, type JobDefinition } from './queue-registry.js';

const noop = async () => undefined;

describe('job wiring check at start-up', () => {
  it('passes when every declared job has exactly one handler', () => {
    const handlers: JobDefinition[] = [{ queue: 'timers', name: 'fire', handler: noop }];
    expect(() => assertJobWiring([{ queue: 'timers', name: 'fire' }], handlers)).not.toThrow();
  });

  it('names missing, doubled and undeclared handlers', () => {
    const handlers: JobDefinition[] = [
      { queue: 'timers', name: 'fire', handler: noop },
      { queue: 'timers', name: 'fire', handler: noop },
      { queue: 'notifications', name: 'deliver', handler: noop },
    ];
    expect(() =>
      assertJobWiring(
        [
          { queue: 'timers', name: 'fire' },
          { queue: 'schedules', name: 'open-cycle' },
        ],
        handlers,
      ),
    ).toThrow(
      /timers\/fire has 2 handlers[\s\S]*schedules\/open-cycle has no handler[\s\S]*undeclared job notifications\/deliver/,
    );
  });
});
