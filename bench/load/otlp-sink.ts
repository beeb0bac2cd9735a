import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpSink {
  /** Where a gateway sends its traces: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. */
  url: string;
  /** Export requests received: none means the target traced nothing, and its figures would lie. */
  exports(): number;
  close(): Promise<void>;
}

/** A collector that takes OTLP/HTTP trace exports and drops them, so a traced gateway pays for export as in production. */
export async function startOtlpSink(): Promise<OtlpSink> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.setHeader('content-type', 'application/json');
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    exports: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
