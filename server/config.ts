import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  // Production unless told otherwise: `npm start` is how small installations run Accord (README, «Two commands»).
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ENGINE_PORT: z.coerce.number().int().min(1).max(65535).default(27027),
  REQUEST_TIMEOUT: z.coerce.number().int('must be a whole number of seconds').min(1).max(3600).default(120),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  COOKIE_SECURE: bool.default(false),
  // true: one proxy in front (its X-Forwarded-For entry names the client); a number: that many proxies.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|yes|no|[0-9]|[1-9][0-9])$/, 'must be true, false or the number of proxies in front')
    .transform((v) => (v === 'true' || v === 'yes' ? 1 : v === 'false' || v === 'no' ? 0 : Number(v)))
    .default(0),
  JOB_INTERVAL: z.coerce.number().int('must be a whole number of seconds').min(1).max(3600).default(60),
  DIGEST_TIME: z.string().regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be HH:MM (committee time, UTC+3) or off').default('08:00'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Accord <accord@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The committee's signing certificate (docs/signing.md): a PKCS#12 file and its passphrase, or a PEM pair.
  SIGNING_P12_FILE: z.string().min(1).optional(),
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  SIGNING_CERT_FILE: z.string().min(1).optional(),
  SIGNING_KEY_FILE: z.string().min(1).optional(),
  SIGNING_KEY_PASSPHRASE: z.string().optional(),
  TSA_URL: z.url().optional(),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  mongodbUri?: string;
  dataDir: string;
  enginePort: number;
  /** seconds a client has to send a whole request (headers within min(this, 20 s)) */
  requestTimeout: number;
  sessionSecret?: string;
  cookieSecure: boolean;
  /** how many proxies in front are trusted to name the client in X-Forwarded-For (0: none) */
  trustProxy: number;
  /** seconds between runs of the scheduled work (closing periods, retries) */
  jobInterval: number;
  /** when the daily digest goes out (HH:MM committee time), or null: never */
  digestTime: string | null;
  /** GET /metrics answers a request with `Authorization: Bearer <this>`; without it, 404 */
  metricsToken?: string;
  /** also serves the metrics, without a token, on this port of 127.0.0.1 */
  metricsPort?: number;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: string;
  signing: SigningConfig;
}

/** Where the committee's certificate and key are (docs/signing.md); none: a development certificate. */
export interface SigningConfig {
  p12?: { file: string; passphrase: string };
  pem?: { certFile: string; keyFile: string; passphrase?: string };
  /** An RFC 3161 time-stamping authority: signatures are then PAdES B-T, else B-B. */
  tsaUrl?: string;
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; the only place that looks at process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    host: c.HOST,
    port: c.PORT,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    mongodbUri: c.MONGODB_URI,
    dataDir: path.resolve(c.DATA_DIR),
    enginePort: c.ENGINE_PORT,
    requestTimeout: c.REQUEST_TIMEOUT,
    sessionSecret: c.SESSION_SECRET,
    cookieSecure: c.COOKIE_SECURE,
    trustProxy: c.TRUST_PROXY,
    jobInterval: c.JOB_INTERVAL,
    digestTime: c.DIGEST_TIME === 'off' ? null : c.DIGEST_TIME,
    metricsToken: c.METRICS_TOKEN,
    metricsPort: c.METRICS_PORT,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    logLevel: c.NODE_ENV === 'test' && !env.LOG_LEVEL ? 'silent' : c.LOG_LEVEL,
    signing: signingConfig(c),
  };
}

function signingConfig(c: z.infer<typeof schema>): SigningConfig {
  if (c.SIGNING_P12_FILE && (c.SIGNING_CERT_FILE || c.SIGNING_KEY_FILE)) throw new ConfigError('Invalid configuration:\n  SIGNING_P12_FILE: give either a PKCS#12 file or SIGNING_CERT_FILE and SIGNING_KEY_FILE, not both');
  if (!c.SIGNING_CERT_FILE !== !c.SIGNING_KEY_FILE) throw new ConfigError(`Invalid configuration:\n  ${c.SIGNING_CERT_FILE ? 'SIGNING_KEY_FILE' : 'SIGNING_CERT_FILE'}: a PEM certificate needs its key, and a key its certificate`);
  return {
    p12: c.SIGNING_P12_FILE ? { file: path.resolve(c.SIGNING_P12_FILE), passphrase: c.SIGNING_P12_PASSPHRASE ?? '' } : undefined,
    pem: c.SIGNING_CERT_FILE && c.SIGNING_KEY_FILE ? { certFile: path.resolve(c.SIGNING_CERT_FILE), keyFile: path.resolve(c.SIGNING_KEY_FILE), passphrase: c.SIGNING_KEY_PASSPHRASE } : undefined,
    tsaUrl: c.TSA_URL,
  };
}

/** Tells Express (and anything else that asks process.env) the mode the configuration chose. */
export function announceMode(config: Pick<Config, 'env'>, env: NodeJS.ProcessEnv = process.env): void {
  env.NODE_ENV = config.env;
}
