import { InvalidTokenError, JwtVerifier, QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH, readCookie } from '@app/auth';
import { Role } from '@app/contracts';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { QUEUE_BOARD_CSP } from '@app/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { DeliveryQueues } from '../queues/delivery-queues';
import { WebhookQueue } from '../webhooks/webhook-queue';

/**
 * Bull Board for operators, outside the `api/v1` prefix. The token comes as a Bearer header (API
 * clients) or as the board cookie (a browser; see {@link QUEUE_BOARD_COOKIE}). The gateway checks it
 * before forwarding; this checks again, since every service verifies the token itself.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: DeliveryQueues,
    private readonly webhooks: WebhookQueue,
    private readonly verifier: JwtVerifier,
  ) {}

  onModuleInit(): void {
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [...Object.values(this.queues.queues), this.webhooks.queue].map((q) => new BullMQAdapter(q)),
      serverAdapter,
    });
    const app = this.adapterHost.httpAdapter.getInstance<Express>();
    const board = serverAdapter.getRouter() as RequestHandler;
    app.use(
      QUEUE_BOARD_PATH,
      (req, res, next) => void this.requireOperator(req, res, next),
      (_req: Request, res: Response, next: NextFunction) => {
        res.setHeader('Content-Security-Policy', QUEUE_BOARD_CSP);
        next();
      },
      board,
    );
  }

  private async requireOperator(req: Request, res: Response, next: NextFunction): Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? readCookie(req.headers.cookie, QUEUE_BOARD_COOKIE);
    const fail = (statusCode: number, error: string, message: string) =>
      res.status(statusCode).json({ statusCode, error, message, requestId: req.headers['x-request-id'] ?? null });
    if (!token) {
      fail(401, 'Unauthorized', 'a bearer token (or the queue dashboard cookie) is required');
      return;
    }
    try {
      const user = await this.verifier.verify(token);
      if (!user.roles.includes(Role.Operator)) {
        fail(403, 'Forbidden', 'operators only');
        return;
      }
      next();
    } catch (error) {
      fail(401, 'Unauthorized', error instanceof InvalidTokenError ? error.reason : 'Invalid token');
    }
  }
}
