// The embedded engine's set-up errors: each message is one line saying what to install or set.

/** Java or Maven is missing or unusable; the message is one actionable line. */
export class EngineSetupError extends Error {
  override name = 'EngineSetupError';
}

/** The engine's port is taken (most often by another Accord); the message says what to set. */
export class EnginePortInUseError extends EngineSetupError {
  override name = 'EnginePortInUseError';
  constructor(readonly port: number) {
    super(
      `The embedded database cannot listen on 127.0.0.1:${port}: the port is taken (is another Accord running?). ` +
        `Set ENGINE_PORT to a free port, or MONGODB_URI to use another database.`,
    );
  }
}

export const FALLBACK = '(or set MONGODB_URI)';
export const JDK_HINT = `apt-get install -y openjdk-17-jdk-headless ${FALLBACK}`;
