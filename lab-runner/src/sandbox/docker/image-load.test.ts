import { describe, expect, it } from 'vitest';
import { imageLoadScript } from './image-load.ts';

describe('imageLoadScript', () => {
  it('loads, tags under learner-facing names and drops the build-side name', () => {
    const script = imageLoadScript([
      {
        name: 'nginx',
        source: 'slipway/course-nginx:latest',
        tags: ['nginx:latest', 'nginx:1.26'],
      },
    ]);
    expect(script.split('\n')).toEqual([
      'set -e',
      'docker load -q >/dev/null',
      "docker tag 'slipway/course-nginx:latest' 'nginx:latest'",
      "docker tag 'slipway/course-nginx:latest' 'nginx:1.26'",
      "docker rmi 'slipway/course-nginx:latest' >/dev/null",
    ]);
  });
});
