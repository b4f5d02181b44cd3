/**
 * Unary gateway RPCs sent with @grpc/grpc-js directly, for requests zeebe-node 8.3.2 cannot make: it has no
 * DeleteResource, its createProcessInstance drops processDefinitionKey, and it always sends variables as JSON
 * of an object. The service definition is the zeebe.proto zeebe-node ships, loaded with the options zeebe-node
 * uses, so fields are encoded exactly as real clients encode them.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_PATH = path.join(path.dirname(require.resolve('zeebe-node/package.json')), 'proto', 'zeebe.proto');

/** What a failed call rejects with: grpc-js's ServiceError (code and details, as from zeebe-node). */
export type GrpcError = Error & { code: grpc.status; details: string };

export interface RawUnaryGateway {
  /** Calls a unary RPC by its proto name (e.g. 'DeleteResource'); resolves with the decoded response. */
  call<Response = Record<string, unknown>>(rpc: string, request: object): Promise<Response>;
  close(): void;
}

type UnaryMethod = (request: object, callback: (error: grpc.ServiceError | null, response: unknown) => void) => void;

export async function openRawUnaryGateway(address: string): Promise<RawUnaryGateway> {
  const definition = await protoLoader.load(PROTO_PATH, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    gateway_protocol: { Gateway: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client };
  };
  const client = new proto.gateway_protocol.Gateway(address, grpc.credentials.createInsecure());
  return {
    call<Response>(rpc: string, request: object) {
      const method = (client as unknown as Record<string, UnaryMethod>)[rpc];
      if (typeof method !== 'function') return Promise.reject(new Error(`zeebe.proto has no RPC '${rpc}'`));
      return new Promise<Response>((resolve, reject) =>
        method.call(client, request, (error, response) => (error ? reject(error) : resolve(response as Response))),
      );
    },
    close: () => client.close(),
  };
}

/** The gRPC error a call failed with; fails the test when the call succeeded. */
export async function grpcErrorOf(call: Promise<unknown>): Promise<GrpcError> {
  const outcome = await call.then(
    (response) => ({ response }),
    (error: unknown) => ({ error: error as GrpcError }),
  );
  if ('response' in outcome) throw new Error(`expected the call to fail, but it answered ${JSON.stringify(outcome.response)}`);
  return outcome.error;
}
