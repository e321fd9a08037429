import { describe, expect, it } from 'vitest';
import { besidePath } from './inert-around.ts';

interface N {
  name: string;
  parent: N | null;
  children: N[];
}

function tree(spec: Record<string, string[]>, rootName: string): Map<string, N> {
  const nodes = new Map<string, N>();
  const make = (name: string, parent: N | null): N => {
    const n: N = { name, parent, children: [] };
    nodes.set(name, n);
    n.children = (spec[name] ?? []).map((c) => make(c, n));
    return n;
  };
  make(rootName, null);
  return nodes;
}

const beside = (nodes: Map<string, N>, node: string, top: string) =>
  besidePath(
    nodes.get(node)!,
    nodes.get(top)!,
    (n) => n.parent,
    (n) => n.children,
  ).map((n) => n.name);

describe('besidePath', () => {
  // body > [skip, header, page > [sidebar, main > [p1, lab, p2]], footer]
  const page = tree(
    {
      body: ['skip', 'header', 'page', 'footer'],
      page: ['sidebar', 'main'],
      main: ['p1', 'lab', 'p2'],
      lab: ['terminal', 'tasks'],
    },
    'body',
  );

  it('is every sibling along the way up, not the path and not what is inside the element', () => {
    expect(beside(page, 'lab', 'body').sort()).toEqual(
      ['footer', 'header', 'p1', 'p2', 'sidebar', 'skip'].sort(),
    );
  });

  it('stops at the top it is given', () => {
    expect(beside(page, 'lab', 'main').sort()).toEqual(['p1', 'p2']);
    expect(beside(page, 'body', 'body')).toEqual([]);
  });

  it('stops at the root when the top is not above the node', () => {
    expect(beside(page, 'p1', 'sidebar').sort()).toEqual(
      ['footer', 'header', 'lab', 'p2', 'sidebar', 'skip'].sort(),
    );
  });
});
