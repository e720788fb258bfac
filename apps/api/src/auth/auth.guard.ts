import {
  Injectable,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor } from './actor.js';
import { TokenService } from './token.service.js';

import { PUBLIC_ROUTE } from '@talent/infrastructure';

type AuthedRequest = Request & { actor?: Actor };

/** Global guard: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header)
      throw new UnauthorizedException('missing Authorization header: send "Authorization: Bearer <token>"');
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header);
    if (!match?.[1]) throw new UnauthorizedException('the Authorization header must be "Bearer <token>"');
    const result = this.tokens.verify(match[1]);
    if ('error' in result) throw new UnauthorizedException(result.error);
    req.actor = result;
    return true;
  }
}

/** The verified caller of this request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthedRequest>().actor;
  if (!actor) throw new UnauthorizedException('no authenticated actor on this request');
  return actor;
});
