import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard.js';
import { TokenService } from './token.service.js';

export interface AuthOptions {
  secret: string;
  issuer: string;
  audience: string;
}

@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        JwtModule.register({
          secret: options.secret,
          signOptions: { algorithm: 'HS256', issuer: options.issuer, audience: options.audience },
          verifyOptions: { algorithms: ['HS256'], issuer: options.issuer, audience: options.audience },
        }),
      ],
      providers: [TokenService, { provide: APP_GUARD, useClass: AuthGuard }],
      exports: [TokenService],
    };
  }
}
