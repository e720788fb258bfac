import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Actor } from './actor.js';

export interface TokenClaims {
  sub: string;
  roles: string[];
  team?: string | null;
}

/** Signs and verifies the bearer tokens (HS256 JWT) that carry user id, roles and team. */
@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  mint(actor: Actor, expiresInSeconds = 8 * 3600): string {
    const claims: TokenClaims = { sub: actor.userId, roles: actor.roles, team: actor.team };
    return this.jwt.sign(claims, { expiresIn: expiresInSeconds });
  }

  /** Returns the actor, or a reason the token is not acceptable. */
  verify(token: string): Actor | { error: string } {
    let claims: Partial<TokenClaims>;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch (e) {
      const name = e instanceof Error ? e.name : 'Error';
      return {
        error:
          name === 'TokenExpiredError' ? 'the bearer token has expired' : 'the bearer token is not valid',
      };
    }
    if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 128) {
      return { error: 'the bearer token has no subject (user id)' };
    }
    if (!Array.isArray(claims.roles) || claims.roles.length === 0 || !claims.roles.every(isRole)) {
      return { error: 'the bearer token carries no known role' };
    }
    const team = typeof claims.team === 'string' && claims.team.length > 0 ? claims.team : null;
    return { userId: claims.sub, roles: claims.roles, team };
  }
}
