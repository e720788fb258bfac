import { Body, Controller, Get, HttpCode, Param, Post, Query as Q } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  CountMyUnreadNotificationsQuery,
  CreateWebhookCommand,
  ListMyNotificationsQuery,
  ListWebhooksQuery,
  MarkNotificationsReadCommand,
  SetWebhookActiveCommand,
} from '@talent/use-cases';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';

const inboxQuery = z
  .object({
    unreadOnly: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
const readBody = z
  .object({
    ids: z
      .array(z.uuid({ error: 'a notification id is a UUID from GET /me/notifications' }))
      .min(1)
      .max(500),
  })
  .strict();
const webhookBody = z
  .object({
    url: z.string().min(1).max(2048),
    eventTypes: z
      .array(z.string().regex(/^(\*|[A-Za-z]{1,100})$/, "an event type such as PromotionRequested, or '*'"))
      .min(1)
      .max(100),
  })
  .strict();
const subscriptionId = z.uuid({ error: 'a subscription id is a UUID returned by POST /webhooks' });

@ApiTags('notifications')
@ApiBearerAuth()
@Controller()
export class NotificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('me/notifications')
  @ApiOperation({
    summary:
      'Your in-app notifications, merged with the inboxes of your roles (role:hr, role:leadership@team...); newest first, cursor-paged',
  })
  @ApiQuery({ name: 'unreadOnly', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..100, default 20' })
  list(@Q() query: unknown, @CurrentActor() actor: Actor) {
    const q = inboxQuery.parse(query);
    return this.queries.execute(
      new ListMyNotificationsQuery(
        {
          ...(q.unreadOnly === 'true' ? { unreadOnly: true } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
          limit: q.limit,
        },
        actor,
      ),
    );
  }

  @Get('me/notifications/unread-count')
  @ApiOperation({ summary: 'How many of your (and your role inboxes’) in-app notifications are unread' })
  unreadCount(@CurrentActor() actor: Actor) {
    return this.queries.execute(new CountMyUnreadNotificationsQuery(actor));
  }

  @Post('me/notifications/read')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Mark notifications read ({ids}); only your own or your role inboxes’ rows change. Returns how many did.',
  })
  @ApiBody({ schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } } } } })
  markRead(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.commands.execute(new MarkNotificationsReadCommand(readBody.parse(body).ids, actor));
  }

  @Post('webhooks')
  @ApiOperation({
    summary: 'Subscribe a URL to case events (HR)',
    description:
      'Body: {url, eventTypes} (event types, or "*"). The response carries the signing secret: it is shown only this once.',
  })
  @ApiBody({ schema: { type: 'object' } })
  createWebhook(@Body() body: unknown, @CurrentActor() actor: Actor) {
    const b = webhookBody.parse(body);
    return this.commands.execute(new CreateWebhookCommand(b.url, b.eventTypes, actor));
  }

  @Get('webhooks')
  @ApiOperation({ summary: 'Webhook subscriptions, without their secrets (HR)' })
  listWebhooks(@CurrentActor() actor: Actor) {
    return this.queries.execute(new ListWebhooksQuery(actor));
  }

  @Post('webhooks/:id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop deliveries to a subscription (HR)' })
  deactivate(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.commands.execute(new SetWebhookActiveCommand(subscriptionId.parse(id), false, actor));
  }

  @Post('webhooks/:id/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume deliveries to a subscription (HR)' })
  activate(@Param('id') id: string, @CurrentActor() actor: Actor) {
    return this.commands.execute(new SetWebhookActiveCommand(subscriptionId.parse(id), true, actor));
  }
}
