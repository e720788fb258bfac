import { parseArgs } from 'node:util';
import { JwtService } from '@nestjs/jwt';
import { isRole } from '../auth/actor.js';
import { TokenService } from '../auth/token.service.js';

/** `npm run token -- --user alice --roles manager,employee --team support`: a bearer token for local use. */
const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    roles: { type: 'string', default: 'employee' },
    team: { type: 'string' },
    hours: { type: 'string', default: '8' },
  },
});
const secret = process.env.JWT_SECRET ?? 'change-me-this-is-only-for-local-development';
const roles = (values.roles ?? '').split(',').filter(Boolean);
if (!values.user) {
  process.stderr.write('--user is required (the user id the token speaks for)\n');
  process.exit(64);
}
const bad = roles.filter((r) => !isRole(r));
if (bad.length || roles.length === 0) {
  process.stderr.write(
    `--roles must be a comma list of hr, manager, leadership, employee, auditor, system (got: ${values.roles})\n`,
  );
  process.exit(64);
}
const jwt = new JwtService({
  secret,
  signOptions: {
    algorithm: 'HS256',
    issuer: process.env.JWT_ISSUER ?? 'talent-engine',
    audience: process.env.JWT_AUDIENCE ?? 'talent-engine',
  },
});
const token = new TokenService(jwt).mint(
  { userId: values.user, roles: roles.filter(isRole), team: values.team ?? null },
  Number(values.hours) * 3600,
);
process.stdout.write(`${token}\n`);
