// Prometheus metrics (prom-client): what /metrics shows, and the hooks the parts report through.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Command } from '../core/command.js';
import type { SourceReport } from '../feeds/watch.js';

/** The metrics of one running bot, in a registry of their own. */
export interface Metrics {
  registry: Registry;
  commands: Counter<'command' | 'outcome'>;
  commandSeconds: Histogram<'command'>;
  ackSeconds: Histogram<'platform'>;
  notices: Counter<'platform' | 'outcome'>;
  outboxPending: Gauge<'platform'>;
  outboxOldestSeconds: Gauge<'platform'>;
  stateFaults: Counter;
  logBackwards: Counter;
  feedPolls: Counter<'outcome'>;
  feedProposals: Counter<'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hotline_' });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  return {
    registry,
    commands: new Counter({
      name: 'hotline_commands_total',
      help: 'Commands answered, by command and outcome (answer, refused: a question that could not be answered as asked, error: a fault of ours).',
      labelNames: ['command', 'outcome'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'hotline_command_seconds',
      help: 'Time to build an answer, by command.',
      labelNames: ['command'],
      buckets,
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: 'hotline_ack_seconds',
      help: 'Time from a platform request arriving to its acknowledgement (Slack allows 3 s).',
      labelNames: ['platform'],
      buckets,
      registers: [registry],
    }),
    notices: new Counter({
      name: 'hotline_notices_total',
      help: 'Notice deliveries, by platform and outcome (delivered, failed, rate_limited).',
      labelNames: ['platform', 'outcome'],
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'hotline_outbox_pending',
      help: 'Notices due and waiting in the outbox at the start of the last delivery pass.',
      labelNames: ['platform'],
      registers: [registry],
    }),
    outboxOldestSeconds: new Gauge({
      name: 'hotline_outbox_oldest_seconds',
      help: 'Age of the oldest notice waiting in the outbox at the last delivery pass (0 when empty).',
      labelNames: ['platform'],
      registers: [registry],
    }),
    stateFaults: new Counter({
      name: 'hotline_state_faults_total',
      help: 'Times the state store stopped answering (one per outage).',
      registers: [registry],
    }),
    logBackwards: new Counter({
      name: 'hotline_event_log_backwards_total',
      help: 'Times the event log was found to have gone backwards (a flushed or restored store).',
      registers: [registry],
    }),
    feedPolls: new Counter({
      name: 'hotline_feed_polls_total',
      help: 'Polls of feed sources by the watcher, by outcome (ok, not_modified, error).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    feedProposals: new Counter({
      name: 'hotline_feed_proposals_total',
      help: 'Feed items proposed to the drafts book, by outcome (created, joined, seen, cited).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/** The commands with each run counted and timed; answers are unchanged. */
export function measuredCommands(commands: readonly Command[], metrics: Metrics): Command[] {
  return commands.map((command) => ({
    ...command,
    async run(ctx) {
      const stop = metrics.commandSeconds.startTimer({ command: command.name });
      try {
        const reply = await command.run(ctx);
        metrics.commands.inc({ command: command.name, outcome: reply.tone === 'error' ? 'refused' : 'answer' });
        return reply;
      } catch (error) {
        const refused = (error as Error).name === 'UserError' || (error as Error).name === 'StoreUnavailable';
        metrics.commands.inc({ command: command.name, outcome: refused ? 'refused' : 'error' });
        throw error;
      } finally {
        stop();
      }
    },
  }));
}

/** Counts one poll of the feed watcher and what its items' proposals did. */
export function countFeedReport(metrics: Metrics): (report: SourceReport) => void {
  return (report) => {
    metrics.feedPolls.inc({ outcome: report.status === 'not-modified' ? 'not_modified' : report.status });
    for (const { outcome } of report.proposals) metrics.feedProposals.inc({ outcome: outcome.outcome });
  };
}
