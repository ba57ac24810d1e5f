// Port-forwards: a net.Server on 127.0.0.1 per forward; each accepted socket gets its own client-node PortForward.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import type { PortForwardDto } from '../../shared/kube';
import { KubeError, toKubeError } from './errors';

interface Forward {
  dto: PortForwardDto;
  server: Server;
  sockets: Set<Socket>;
}

let seq = 0;

export class PortForwards {
  private readonly forwards = new Map<string, Forward>();

  list(context?: string): PortForwardDto[] {
    return [...this.forwards.values()]
      .filter((f) => !context || f.dto.context === context)
      .map((f) => ({ ...f.dto, connections: f.sockets.size }));
  }

  /** Listens on 127.0.0.1:localPort (0 picks a free port) and forwards every connection to the pod's port. */
  async start(
    kc: KubeConfig,
    context: string,
    namespace: string,
    pod: string,
    remotePort: number,
    localPort = 0,
  ): Promise<PortForwardDto> {
    const sockets = new Set<Socket>();
    const pf = new PortForward(kc, true);
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      pf.portForward(namespace, pod, [remotePort], socket, null, socket)
        .then((ws) => {
          const w = typeof ws === 'function' ? ws() : ws;
          socket.on('close', () => w?.close());
          w?.on('close', () => socket.end());
          w?.on('error', () => socket.destroy());
        })
        .catch(() => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e) =>
        reject(
          new KubeError(
            (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'conflict' : 'unknown',
            `cannot listen on 127.0.0.1:${localPort}: ${e.message}`,
          ),
        ),
      );
      server.listen(localPort, '127.0.0.1', () => resolve());
    }).catch((e) => {
      throw toKubeError(e);
    });
    const id = `pf-${++seq}`;
    const dto: PortForwardDto = {
      id,
      context,
      namespace,
      pod,
      remotePort,
      localPort: (server.address() as AddressInfo).port,
      address: '127.0.0.1',
      connections: 0,
    };
    this.forwards.set(id, { dto, server, sockets });
    return { ...dto };
  }

  async stop(id: string): Promise<void> {
    const f = this.forwards.get(id);
    if (!f) throw new KubeError('notFound', `no port-forward ${id}`);
    this.forwards.delete(id);
    for (const s of f.sockets) s.destroy();
    await new Promise<void>((r) => f.server.close(() => r()));
  }

  async closeAll(context?: string): Promise<void> {
    await Promise.all(
      [...this.forwards.values()].filter((f) => !context || f.dto.context === context).map((f) => this.stop(f.dto.id)),
    );
  }
}
