// Files shared by hosts of the same shape. A cluster's real servers are usually identical but
// for their name and address, and apart from one header line (which names the host) a file
// like apply.sh depends on neither: 1,000 such servers would build the same 5 KB of text 1,000
// times. So such a file is rendered once per cluster and host shape, and each host's copy is
// that text with the host's line put in (a rope: the shared text is not copied).
//
// Why this cannot give a host the wrong file: a renderer gets the spec and the host WITHOUT
// its identity (`HostShape`: name and address are removed, by type and at run time), and the
// key of a rendered file is the whole shape, serialised (numbered, so lookups stay cheap).
// Whatever a renderer can read is either in its key or the same for the whole cluster.
import { ClusterSpec, DirectorSpec, HostSpec, ServerSpec } from './spec';
import { headerHostLine, headerNotice, headerSourceLine, Lines } from './text';
import { GeneratedFile } from './types';

/** A host without its identity: everything a shared file may depend on. */
export type HostShape = Omit<DirectorSpec, 'name' | 'address'> | Omit<ServerSpec, 'name' | 'address'>;

/** A host's shape, the number of that shape within its cluster, and its header line. */
export interface ShapedHost {
  shape: HostShape;
  id: number;
  /** The header line naming the host, with its newline (see headerHostLine). */
  hostLine: string;
}

/** A file as a renderer describes it: everything but the header line naming the host. */
export interface SharedFileSpec {
  path: string;
  mode: number;
  purpose: readonly string[];
  /** Lines before the header (a script's `#!` line). */
  before?: readonly string[];
  /** Lines after it (`set -eu` and a blank line, or just a blank line). */
  after?: readonly string[];
  /**
   * A `blank()` at its start writes nothing (the header is not in this Lines): a blank line
   * between header and body belongs in `after`.
   */
  body: Lines;
}

/** Renders the files of one kind for a host of some shape. */
export type SharedRenderer = (spec: ClusterSpec, host: HostShape) => SharedFileSpec[];

/** A rendered file: the host's header line goes between `head` and `tail`. */
interface Template {
  path: string;
  mode: number;
  head: string;
  tail: string;
}

/** The files rendered for one cluster, by renderer and host shape. */
export class SharedBodies {
  /** Serialised shape → its number: hosts with equal shapes get the same number. */
  private readonly shapeIds = new Map<string, number>();
  /** Renderer → its files by shape number. */
  private readonly rendered = new Map<SharedRenderer, Template[][]>();

  /** `share: false` renders every host's files anew (the tests compare both ways). */
  constructor(private readonly spec: ClusterSpec, private readonly share = true) {}

  /** The host without its identity, numbered by shape (once per host). */
  shape(host: HostSpec): ShapedHost {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { name, address, ...shape } = host;
    const key = JSON.stringify(shape);
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapeIds.size;
      this.shapeIds.set(key, id);
    }
    const hostLine = `${headerHostLine({ cluster: this.spec.name, host: host.name, role: host.kind, os: host.os })}\n`;
    return { shape, id, hostLine };
  }

  /** The files `render` describes, for the host of `ctx` (a HostContext). */
  files(ctx: { host: HostSpec; shaped: ShapedHost }, render: SharedRenderer): GeneratedFile[] {
    const templates = this.share ? this.templates(render, ctx.shaped) : this.render(render, ctx.shaped);
    return templates.map((t) => ({ host: ctx.host.name, path: t.path, mode: t.mode, content: t.head + ctx.shaped.hostLine + t.tail }));
  }

  private templates(render: SharedRenderer, host: ShapedHost): Template[] {
    let byShape = this.rendered.get(render);
    if (byShape === undefined) {
      byShape = [];
      this.rendered.set(render, byShape);
    }
    return (byShape[host.id] ??= this.render(render, host));
  }

  /**
   * The bytes of one Lines holding the header's lines and then the body's: each line ends with
   * a newline, and the file ends after its last non-empty line.
   */
  private render(render: SharedRenderer, host: ShapedHost): Template[] {
    return render(this.spec, host.shape).map((spec) => {
      const lines = (list: readonly string[]) => list.map((l) => `${l}\n`).join('');
      const head = `${lines(spec.before ?? [])}${headerSourceLine(spec.path, this.spec.sourceName)}\n`;
      const after = lines([...headerNotice(spec.purpose), ...(spec.after ?? [])]);
      const tail = spec.body.isBlank() ? after.replace(/\n+$/, '\n') : after + spec.body.toString();
      return { path: spec.path, mode: spec.mode, head, tail };
    });
  }
}

/** A renderer of one file at a fixed path, from a function that renders its body. */
export function sharedFile(
  path: string, mode: number, header: Pick<SharedFileSpec, 'purpose' | 'before' | 'after'>,
  body: (spec: ClusterSpec, host: HostShape) => Lines,
): SharedRenderer {
  return (spec, host) => [{ path, mode, ...header, body: body(spec, host) }];
}
