// A part of the extension built as its own bundle (dist/client/<name>.js) and loaded the first
// time a command, view or editor needs it, not at activation: activate() stays short
// (decisions.md, "P6"). The bundle is required synchronously, so the first use waits only for
// reading and compiling it.
import { loadBundlePart } from './bundle-part';

/** E: the bundle's exports; T: what the extension keeps of it. */
export class LazyPart<E, T> {
  private value: T | undefined;

  /** `create` receives the part's bundle (its exports) and makes what the extension keeps of it. */
  constructor(private readonly bundle: string, private readonly create: (exports: E) => T) {}

  /** The part, loading its bundle now if no one has used it yet. */
  get(): T {
    this.value ??= this.create(loadBundlePart<E>(this.bundle));
    return this.value;
  }

  /** The part if it has been loaded, else undefined (nothing is loaded). */
  ifLoaded(): T | undefined {
    return this.value;
  }
}
