import { Injectable } from '@nestjs/common';
import type { StoredEvent } from '@talent/event-store';
import { planAndStore, upsertUserContact, type Recipient, type StoreResult } from '@talent/notifications';
import type { QueryRunner } from 'typeorm';
import { isCaseType } from '../cases/case-events.js';
import { CaseContextBuilder } from '../cases/case-context.js';
import { CaseRepository } from '../cases/case-repository.js';
import { waitingOn } from '../cases/case-row.js';

/**
 * Who is told about a committed case event: whoever must act next (from the stage the event left
 * the case in) and whoever it affects (the employee, the requester). Role-addressed work goes to
 * the role's inbox (`role:leadership@support`), read by every holder of that role.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    private readonly cases: CaseRepository,
    private readonly context: CaseContextBuilder,
  ) {}

  async recipients(event: StoredEvent, tx?: QueryRunner): Promise<Recipient[]> {
    if (!isCaseType(event.streamType)) return [];
    const loaded = await this.cases.load(event.streamId, {
      untilVersion: event.streamVersion,
      ...(tx ? { queryRunner: tx } : {}),
    });
    if (!loaded) return [];
    const facts = await this.context.factsFor(loaded.state, tx);
    const out = new Map<string, Recipient>();
    for (const token of waitingOn(loaded.state, facts).tokens) {
      const id = token.startsWith('user:') ? token.slice(5) : token;
      out.set(id, { userId: id, reason: 'must_act' });
    }
    for (const affected of [facts.employeeId, facts.requesterId]) {
      if (affected && !out.has(affected)) out.set(affected, { userId: affected, reason: 'affected' });
    }
    if (/Escalated$/.test(event.type)) {
      // a lapsed approval goes up: HR is told it must act, besides whoever still may decide
      out.set('role:hr', { userId: 'role:hr', reason: 'must_act' });
    }
    if (event.type === 'ReviewCycleClosed') {
      // closing a cycle publishes its outcomes: every candidate and their manager is told
      const sql = tx ?? this.cases.store.dataSource;
      const candidates = (await sql.query(
        `SELECT DISTINCT c.employee_id, e.manager_id FROM cases c LEFT JOIN employees e ON e.employee_id = c.employee_id
          WHERE c.cycle_id = $1 AND c.case_type = 'promotion' AND c.employee_id IS NOT NULL`,
        [event.streamId],
      )) as Array<{ employee_id: string; manager_id: string | null }>;
      for (const c of candidates) {
        for (const id of [c.employee_id, c.manager_id])
          if (id && !out.has(id)) out.set(id, { userId: id, reason: 'affected' });
      }
    }
    return [...out.values()];
  }

  /** Plans and stores the notifications of one event inside the subscription's transaction. */
  async plan(event: StoredEvent, tx: QueryRunner): Promise<StoreResult | undefined> {
    const recipients = await this.recipients(event, tx);
    if (recipients.length === 0) return undefined;
    const people = (await tx.query(
      'SELECT employee_id, email, name FROM employees WHERE employee_id = ANY($1::text[])',
      [recipients.map((r) => r.userId)],
    )) as Array<{ employee_id: string; email: string; name: string }>;
    for (const p of people)
      await upsertUserContact(tx, { userId: p.employee_id, email: p.email, displayName: p.name });
    return planAndStore(tx, event, recipients);
  }
}
