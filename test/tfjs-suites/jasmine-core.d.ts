// jasmine-core ships no types for its browser-style entry: what the runner uses of it.
declare module 'jasmine-core/lib/jasmine-core/jasmine.js' {
  interface JasmineEnv {
    configure(options: { random?: boolean }): void;
    addReporter(reporter: { specStarted?(): void; specDone?(result: { fullName: string; status: string; failedExpectations: { message: string }[] }): void }): void;
    execute(): Promise<unknown>;
  }
  interface JasmineCore {
    DEFAULT_TIMEOUT_INTERVAL: number;
    getEnv(): JasmineEnv;
  }
  const jasmineRequire: {
    core(self: unknown): JasmineCore;
    interface(core: JasmineCore, env: JasmineEnv): Record<string, unknown>;
  };
  export default jasmineRequire;
}
