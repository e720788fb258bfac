import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query as Q, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { FrameworkCatalogReader, PublishFrameworkCommand } from '@talent/use-cases';
import { CurrentActor } from '../auth/auth.guard.js';
import type { Actor } from '../auth/actor.js';
import { etag, Write, type WriteRequest } from '../http/write-request.js';

@ApiTags('frameworks')
@ApiBearerAuth()
@Controller('frameworks')
export class FrameworksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: FrameworkCatalogReader,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Publish a career framework version (HR)',
    description:
      'Body: the framework document as JSON, or YAML text with Content-Type application/yaml. Cases keep the version they were opened under.',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  async publish(@Body() body: unknown, @Write() w: WriteRequest, @Res({ passthrough: true }) res: Response) {
    const result = await this.commands.execute(new PublishFrameworkCommand(body, w));
    res.setHeader('ETag', etag(result.streamVersion));
    return result;
  }

  @Get()
  @ApiOperation({ summary: 'Published frameworks with their current and past versions' })
  async list(@CurrentActor() _actor: Actor) {
    const catalog = await this.catalog.load();
    return Object.values(catalog.frameworks).map((f) => ({
      frameworkId: f.frameworkId,
      name: f.versions.at(-1)?.document.name,
      currentVersion: f.currentVersion,
      versions: f.versions.map((v) => ({
        version: v.version,
        publishedBy: v.publishedBy,
        publishedAt: v.publishedAt,
      })),
    }));
  }

  @Get(':frameworkId')
  @ApiOperation({ summary: 'A framework document (current version, or ?version=N)' })
  async get(
    @Param('frameworkId') id: string,
    @Q('version', new ParseIntPipe({ optional: true })) version?: number,
  ) {
    return this.catalog.get(id, version);
  }
}
