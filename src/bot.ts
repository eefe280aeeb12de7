import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { seedDemoBusiness, seedDemoClinic } from './businesses/demo.js';
import { BusinessDirectory } from './businesses/directory.js';
import { BusinessSettings } from './businesses/settings.js';
import type { Config } from './config.js';
import { days } from './core/time.js';
import { ConversationEngine } from './conversation/engine.js';
import { CustomerIdentities } from './customers/identity.js';
import { rootFlowDefinition } from './conversation/flows.js';
import type { InboxRetryPolicy } from './conversation/retry.js';
import { connectDatabase, databaseWaitMs, withinDatabaseWait } from './db/connection.js';
import type { Database } from './db/connection.js';
import { createModels, initModels } from './db/models/index.js';
import type { Models } from './db/models/index.js';
import { LiveHub } from './live/hub.js';
import { Counters } from './metrics.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { HandoffService } from './handoff/service.js';
import type { LivePublisher } from './live/events.js';
import { OrderService } from './orders/service.js';
import { AppointmentStore } from './appointments/store.js';
import { AppointmentNotices } from './appointments/notices.js';
import { ReminderSweep } from './appointments/reminders.js';
import { AppointmentRetention } from './appointments/retention.js';
import { OutboxDispatcher } from './outbox/dispatcher.js';
import { createSender } from './outbox/sender.js';
import { suppressionCheck } from './outbox/suppression.js';
import type { TemplateResolver } from './templates/types.js';
import type { OutboxRetryPolicy } from './outbox/sender.js';
import { Assistant } from './ai/assistant.js';
import { createSealer } from './core/sealing.js';
import { PrivacyService } from './privacy/service.js';
import { StaffCommands } from './staff/commands.js';
import { hashedWamid } from './core/identity.js';
import { SIMULATOR_ACCESS_TOKEN, SimulatorStore } from './simulator/index.js';
import { TemplateRegistry, templateFetcherFor } from './templates/registry.js';
import { createWhatsAppClient } from './whatsapp/client.js';
import type { RetryPolicy, WhatsAppClient } from './whatsapp/client.js';
import { handoffSeenMarker } from './handoff/read-receipt.js';
import { graphMediaSource } from './whatsapp/media.js';

export interface BotOptions {
  /** Seed the demo business (development). */
  seedDemo?: boolean;
  /** Overrides for tests: faster retries, a quicker inbox sweep. */
  retry?: RetryPolicy;
  sweepIntervalMs?: number;
  /**
   * How old the webhook's inbox backlog count may be (500 ms by default, src/webhook/overload.ts); the
   * database command budget test makes it an hour, so the count never lands in a message it measures.
   */
  backlogCountMs?: number;
  /** How long requests in flight at shutdown may take before their connections are cut (5 s by default). */
  shutdownDrainMs?: number;
  /** Conversation lease; tests shorten it to exercise takeover after a crash. */
  leaseMs?: number;
  /** Backoff and attempts for messages whose handling failed; tests shorten the waits. */
  inboxRetry?: InboxRetryPolicy;
  /** Database name; tests give each file its own. Default: the URI's, or `polus` for the embedded one. */
  dbName?: string;
  /** Outbox retries (backoff, grace for unconfirmed sends); tests shorten them. Default: the config's grace. */
  outboxRetry?: Partial<OutboxRetryPolicy>;
  /** How long a database operation waits for a reachable server; outage tests shorten it. */
  serverSelectionTimeoutMs?: number;
  /** Delays of the simulator's `sent`, `delivered`, `read` status webhooks after each send (ms). */
  simulatorStatusDelaysMs?: readonly [number, number, number];
  /** Where the staff inbox's live events go instead of the process's hub (tests listen here). */
  live?: LivePublisher;
  /**
   * Picks the approved template for a message outside the 24-hour window instead of the template registry
   * (tests: a stand-in that needs no synced templates).
   */
  templates?: TemplateResolver;
}

export interface RunningBot {
  readonly url: string;
  readonly port: number;
  readonly database: Database;
  readonly models: Models;
  readonly counters: Counters;
  /** The production metrics served at `GET /metrics` (this bot's own prom-client registry). */
  readonly metrics: PrometheusMetrics;
  readonly engine: ConversationEngine;
  /** Orders: placing (for the chat ordering flow), listing, status changes with customer notices. */
  readonly orders: OrderService;
  readonly appointments: AppointmentStore;
  /** Tells the customer and the staff of a booking, move or cancellation, once per event (with the .ics). */
  readonly appointmentNotices: AppointmentNotices;
  /** Reminders before appointments, fired once across processes (started where the engine runs). */
  readonly reminders: ReminderSweep;
  /** Privacy requests: access, correction, erasure (and its resumption), opt-out, the Meta callback. */
  readonly privacy: PrivacyService;
  /** The staff inbox: handoffs to a person, their messages, take / reply / hand back / close. */
  readonly handoffs: HandoffService;
  /** Live portal events: publish here (handoffs, orders); the portal's open pages hear it on every process. */
  readonly live: LiveHub;
  /**
   * Each business's WhatsApp templates and mappings: `resolve` picks the approved template for a message sent
   * outside the 24-hour window (src/templates/types.ts `TemplateResolver`); sync and status webhooks keep it.
   */
  readonly templates: TemplateRegistry;
  /** The local simulator's chats and media, when `config.simulator.enabled`. */
  readonly simulator: SimulatorStore | undefined;
  /** Stops accepting requests, finishes messages in flight, closes the database. */
  close(): Promise<void>;
}

/** The address this process reaches itself at: the listening host, or loopback when that is every interface. */
function selfHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** How long requests in flight at shutdown may take before their connections are cut. */
const SHUTDOWN_DRAIN_MS = 5_000;

/**
 * Stops listening and resolves once every connection is gone: idle keep-alive connections are closed at once
 * and again as requests in flight finish (their answers carry `connection: close`), and whatever is still
 * open after `drainMs` is cut, so a client holding a connection cannot stall the shutdown.
 */
function closeServer(server: http.Server, drainMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Wires the bot from a validated configuration: database, models, WhatsApp client, inbox processor and
 * the HTTP app, then listens. Used by main.ts and by tests, which run it on port 0.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: BotOptions = {},
): Promise<RunningBot> {
  const database = await connectDatabase(config.mongo, logger, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(options.serverSelectionTimeoutMs !== undefined
      ? { serverSelectionTimeoutMs: options.serverSelectionTimeoutMs }
      : {}),
  });
  try {
    const models = createModels(database.connection);
    await initModels(models);
    // One customer whichever WhatsApp id a payload carries; customers stored before that get aliases once.
    const identities = new CustomerIdentities({
      models,
      pepper: config.privacyPepper,
      retentionMs: days(config.privacy.customerRetentionDays),
    });
    const aliased = await identities.backfill();
    if (aliased > 0) logger.info({ aliased }, 'customer id aliases written for existing customers');
    const directory = new BusinessDirectory(models.Business);
    if (options.seedDemo && (await seedDemoBusiness(directory))) logger.info('demo business seeded');
    if (options.seedDemo && (await seedDemoClinic(directory))) logger.info('demo clinic seeded');
    const counters = new Counters();
    // GET /metrics: this bot's registry; the backlog is read from the inbox on each scrape (engine made below).
    const metrics: PrometheusMetrics = new PrometheusMetrics({
      inboxCounts: (): Promise<Record<string, number>> => engine.inboxCounts(),
    });
    // Templates are read with the sends' Graph base URL and token (none in local mode without a real token).
    const templates = new TemplateRegistry({
      Template: models.Template,
      TemplateSetup: models.TemplateSetup,
      directory,
      fetch: templateFetcherFor(config.whatsapp),
      logger,
    });
    // What picks the template for a message outside the window: the registry, or a test's stand-in.
    const resolver: TemplateResolver = options.templates ?? templates;
    const simulated = config.simulator.enabled;
    // In local mode the real client sends to the simulator's Graph sink in this server (/sim/graph), whose
    // address is known once the server listens: the client is made on first use, which comes after that.
    const accessToken = config.whatsapp.accessToken || (simulated ? SIMULATOR_ACCESS_TOKEN : '');
    const simulatorStore = simulated ? new SimulatorStore() : undefined;
    let selfUrl = '';
    const makeClient = (baseUrl: string): WhatsAppClient =>
      createWhatsAppClient({
        baseUrl,
        apiVersion: config.whatsapp.apiVersion,
        // Without a token nothing is sent (the sender records why); the client still needs a value.
        accessToken: accessToken || 'unset',
        ...(options.retry ? { retry: options.retry } : {}),
        onRequest: (report) => metrics.graphRequest(report),
      });
    let sinkClient: WhatsAppClient | undefined;
    const toSink = (): WhatsAppClient => (sinkClient ??= makeClient(`${selfUrl}/sim/graph`));
    const client: WhatsAppClient = simulated
      ? {
          send: (...args) => toSink().send(...args),
          uploadMedia: (...args) => toSink().uploadMedia(...args),
          markRead: (...args) => toSink().markRead(...args),
        }
      : makeClient(config.whatsapp.graphBaseUrl);
    if (simulated) {
      logger.warn('local simulator on: replies go to the built-in Graph API sink, not to WhatsApp');
    } else if (!config.whatsapp.accessToken) {
      logger.warn('WHATSAPP_ACCESS_TOKEN is not set: replies are stored but not sent');
    }
    const sealer = createSealer(config.privacy.dataKey);
    const outboxRetry = { graceMs: config.whatsapp.sendGraceMs, ...options.outboxRetry };
    const deliver = createSender({
      Outbox: models.Outbox,
      Customer: models.Customer,
      client,
      canSend: accessToken !== '',
      sealer,
      // Opt-outs and erasures as the privacy service records them; it sends its receipts through this sender.
      suppressed: suppressionCheck(models.Suppression),
      logger,
      retry: outboxRetry,
      hashWamid: (wamid) => hashedWamid(config.privacyPepper, wamid),
      // Outside the 24-hour window a notice or alert goes out as the business's mapped, approved template.
      templates: resolver,
      metrics,
    });
    const businessName = async (phoneNumberId: string): Promise<string | undefined> =>
      (await directory.get(phoneNumberId))?.name;
    const countedDeliver: typeof deliver = async (entry, known) => {
      const outcome = await deliver(entry, known);
      counters.add(`outbox.${outcome}`);
      metrics.delivered(entry.inboundWamid, outcome);
      return outcome;
    };
    // Retries what a transient error or a crash left open, in each customer's order, across processes.
    const dispatcher = new OutboxDispatcher({
      Outbox: models.Outbox,
      deliver: countedDeliver,
      logger,
      graceMs: outboxRetry.graceMs,
      metrics,
    });
    // Live portal updates across processes: events in MongoDB, polled while a portal page watches.
    const live = new LiveHub({ LiveEvent: models.LiveEvent, logger });
    // Order status notices go through the same sender (24-hour window, at most once) and counters.
    // New and changed orders are announced to the portal's open pages.
    const orders = new OrderService({
      Order: models.Order,
      Counter: models.Counter,
      Outbox: models.Outbox,
      Customer: models.Customer,
      sealer,
      logger,
      deliver: countedDeliver,
      live,
      businessName,
    });
    // Appointments (src/appointments/): booked in chat and in the portal, announced to its open pages.
    const appointments = new AppointmentStore({ models, sealer, logger, live });
    // Their notices and reminders go through the same sender (24-hour window, templates, at most once).
    const appointmentNotices = new AppointmentNotices({
      models,
      sealer,
      deliver: countedDeliver,
      identities,
      now: Date.now,
    });
    const reminders = new ReminderSweep({ models, sealer, deliver: countedDeliver, logger });
    // Appointments follow their business's retention setting when it changes (their TTL date).
    const appointmentRetention = new AppointmentRetention({ models, logger });
    const privacyService = new PrivacyService({
      models,
      sealer,
      pepper: config.privacyPepper,
      deliver: countedDeliver,
      logger,
      publicBaseUrl: config.publicBaseUrl,
      llmConfigured: config.llm.configured,
      retention: config,
      identities,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    });
    // In-chat staff commands (/ai on, /orders, /resume …) from a business's admin numbers; /ai on|off audited.
    const handoffs = new HandoffService({
      Handoff: models.Handoff,
      Outbox: models.Outbox,
      Customer: models.Customer,
      sealer,
      deliver: countedDeliver,
      // The engine is built below; the portal calls this only once the bot runs.
      signal: (phoneNumberId, ref, event): Promise<boolean> => engine.signal(phoneNumberId, ref, event),
      // Test hooks may listen in; otherwise the process's hub, so the portal's inbox pages refresh live.
      live: options.live ?? live,
      businessName,
      templates: resolver,
    });
    const staffCommands = new StaffCommands({
      settings: new BusinessSettings({
        Business: models.Business,
        SettingsChange: models.SettingsChange,
        directory,
        logger,
      }),
      orders,
      pepper: config.privacyPepper,
      identities,
      aiConfigured: config.llm.configured,
      resume: (phoneNumberId, ref): Promise<boolean> => engine.resume(phoneNumberId, ref),
      logger,
      counters,
    });
    // Calls the AI provider only for businesses that enabled AI, and only when OPENAI_* is configured.
    const ai = new Assistant({ models, llm: config.llm, logger, metrics });
    const engine = new ConversationEngine({
      models,
      directory,
      pepper: config.privacyPepper,
      sealer,
      identities,
      privacy: privacyService,
      logger,
      deliver: countedDeliver,
      staffCommand: (business, sender, event, wamid) => staffCommands.handle(business, sender, event, wamid),
      handoffs,
      // Blue ticks and "typing…" for each message the bot answers; nothing to call without a token.
      ...(accessToken
        ? { markRead: (pnid: string, wamid: string) => client.markRead(pnid, wamid, { typing: true }) }
        : {}),
      flowFor: (business, ref, sender, step) =>
        rootFlowDefinition(
          business,
          ref,
          {
            directory,
            orders,
            appointments,
            appointmentNotices,
            privacy: privacyService,
            ai,
            handoffMinutes: config.conversation.handoffMinutes,
            abandonedCartHours: config.conversation.abandonedCartHours,
          },
          sender,
          step,
        ),
      customerRetentionMs: days(config.privacy.customerRetentionDays),
      idleTtlMs: days(config.conversation.idleDays),
      ...(options.sweepIntervalMs !== undefined ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.inboxRetry ? { retry: options.inboxRetry } : {}),
      counters,
      metrics,
      // A worker hears of nothing stored elsewhere: it polls the inbox (web processes store, it answers).
      ...(config.processType === 'worker' ? { pollMs: config.enginePollMs } : {}),
    });
    // The queue as it stands, at GET /admin/metrics: waiting, retrying, being handled, parked as failed.
    counters.addGauges(() => withinDatabaseWait(engine.inboxCounts(), databaseWaitMs(database.connection)));
    const app = createApp({
      config,
      logger,
      connection: database.connection,
      models,
      directory,
      identities,
      counters,
      prometheus: metrics,
      onAccepted: (accepted) => engine.enqueue(accepted.map((a) => a.customerRef)),
      ...(options.backlogCountMs !== undefined ? { backlogCountMs: options.backlogCountMs } : {}),
      resumeConversation: (phoneNumberId, ref) => engine.resume(phoneNumberId, ref),
      orders,
      appointments,
      // Staff bookings, moves and cancellations in the portal and the admin API tell the customer.
      appointmentNotify: (event) => appointmentNotices.staffChange(event),
      sealer,
      privacy: privacyService,
      handoffs,
      ...(accessToken
        ? {
            markHandoffSeen: handoffSeenMarker({
              models,
              markRead: (pnid, wamid) => client.markRead(pnid, wamid),
              logger,
            }),
            // The simulator's Graph sink keeps no media: nothing to show there.
            ...(simulated
              ? {}
              : {
                  media: graphMediaSource({
                    baseUrl: config.whatsapp.graphBaseUrl,
                    apiVersion: config.whatsapp.apiVersion,
                    accessToken,
                  }),
                }),
          }
        : {}),
      live,
      templates,
      ...(simulatorStore
        ? {
            simulator: {
              store: simulatorStore,
              accessToken,
              selfUrl: () => selfUrl,
              ...(options.simulatorStatusDelaysMs ? { statusDelaysMs: options.simulatorStatusDelaysMs } : {}),
            },
          }
        : {}),
    });
    const server = http.createServer(app);
    server.keepAliveTimeout = 65_000;
    // While closing, every answer ends its connection: a keep-alive client (Meta, a load balancer) must not
    // hold the shutdown open for the keep-alive timeout.
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (!server.listening) res.setHeader('connection', 'close');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // config.host: loopback outside production unless HOST says otherwise; undefined means every interface.
      server.listen({ port: config.port, ...(config.host ? { host: config.host } : {}) }, () => resolve());
    });
    // A `web` process only stores and acknowledges (and serves the portal and admin API); the engine and the
    // sweeps run in `worker` processes (PROCESS_TYPE), or here too by default.
    if (config.processType !== 'web') {
      engine.start();
      dispatcher.start(options.sweepIntervalMs ?? 2_000);
      reminders.start(options.sweepIntervalMs ?? 2_000);
      appointmentRetention.start();
      // Erasures a crashed process left half done resume now, then on every sweep.
      privacyService.start(options.sweepIntervalMs ?? 2_000);
    }
    const port = (server.address() as AddressInfo).port;
    selfUrl = `http://${selfHost(config.host)}:${port}`;
    let closing: Promise<void> | undefined;
    return {
      url: selfUrl,
      port,
      database,
      models,
      counters,
      metrics,
      engine,
      orders,
      appointments,
      appointmentNotices,
      reminders,
      privacy: privacyService,
      handoffs,
      live,
      templates,
      simulator: simulatorStore,
      close: () =>
        (closing ??= (async () => {
          // Live streams never finish on their own: end them first, so the drain does not wait for them.
          const streamsClosed = live.close();
          await closeServer(server, options.shutdownDrainMs ?? SHUTDOWN_DRAIN_MS);
          await streamsClosed;
          privacyService.stop();
          await dispatcher.stop();
          await reminders.stop();
          appointmentRetention.stop();
          await engine.drain();
          await database.close();
        })()),
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
