import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import type { Queue } from 'bullmq';

const BOARD_ROLES = ['hr', 'auditor'];

/**
 * Express middleware: the Bull Board dashboard is for HR and auditors only. The bearer token comes
 * in the Authorization header, or as `?access_token=` for a browser.
 */
export function boardAuth(secret: string, issuer = 'talent-engine', audience = 'talent-engine') {
  const jwt = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'], issuer, audience } });
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : query;
    if (!token) {
      res
        .status(401)
        .json({ statusCode: 401, message: 'the queue dashboard needs a bearer token (hr or auditor)' });
      return;
    }
    try {
      const claims = jwt.verify<{ roles?: unknown }>(token);
      const roles = Array.isArray(claims.roles) ? claims.roles : [];
      if (!roles.some((r) => BOARD_ROLES.includes(String(r)))) {
        res.status(403).json({ statusCode: 403, message: 'the queue dashboard is for hr and auditors' });
        return;
      }
      next();
    } catch {
      res.status(401).json({ statusCode: 401, message: 'the bearer token is not valid' });
    }
  };
}

/** The Bull Board router over every queue, mounted at `basePath`. */
export function queueBoardRouter(queues: Queue[], basePath: string): ReturnType<ExpressAdapter['getRouter']> {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
    serverAdapter: adapter,
  });
  return adapter.getRouter();
}
