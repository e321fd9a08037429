import type { ExpressiveCodePlugin } from '@astrojs/starlight/expressive-code';
import { h, select } from '@astrojs/starlight/expressive-code/hast';
import { isRunMeta, runCommands } from './run-blocks.ts';

const playIcon = h(
  'svg',
  { 'aria-hidden': 'true', viewBox: '0 0 24 24', width: '14', height: '14' },
  [
    h('path', {
      fill: 'currentColor',
      d: 'M8 5.14v13.72a1 1 0 0 0 1.52.85l10.9-6.86a1 1 0 0 0 0-1.7L9.52 4.29A1 1 0 0 0 8 5.14',
    }),
  ],
);

/**
 * An Expressive Code plugin for run blocks (```` ```sh run ````): the block is drawn as a
 * terminal window, as usual with its copy button, plus a Run button in its title bar. The
 * button carries the lines to type (`data-run`, JSON) and stays `hidden` until the lab script
 * of the page takes it over, so without JavaScript there is no button that does nothing.
 * The build-time check (lesson-checks.ts) makes sure every run block has a lab to type into.
 */
export function slipwayRunButtons(): ExpressiveCodePlugin {
  return {
    name: 'slipway-run-buttons',
    hooks: {
      preprocessCode: ({ codeBlock }) => {
        // Run blocks always look like what they type into: a terminal.
        if (isRunMeta(codeBlock.meta)) codeBlock.props.frame = 'terminal';
      },
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        if (!isRunMeta(codeBlock.meta)) return;
        const lines = runCommands(codeBlock.language, codeBlock.code);
        const header = select('figcaption.header', renderData.blockAst);
        const button = h(
          'button',
          {
            type: 'button',
            className: ['slipway-run'],
            'data-testid': 'code-run',
            'data-run': JSON.stringify(lines),
            'aria-label': 'Run in the lab terminal',
            title: 'Type this into the lab terminal and press Enter',
            hidden: true,
          },
          [playIcon, h('span', { className: 'slipway-run-label' }, 'Run')],
        );
        if (header) header.children.push(button);
        else renderData.blockAst.children.push(button);
        const figure = renderData.blockAst;
        figure.properties.className = [
          ...((figure.properties.className as string[] | undefined) ?? []),
          'slipway-runnable',
        ];
      },
    },
    baseStyles: `
      .frame .header .slipway-run[hidden] {
        display: none;
      }
      .frame .header .slipway-run:not([hidden]) {
        position: absolute;
        inset-inline-end: calc(var(--ec-uiPadInl) / 2);
        top: 50%;
        transform: translateY(-50%);
        display: inline-flex;
        align-items: center;
        gap: 0.3rem;
        margin: 0;
        padding: 0.1rem 0.65rem 0.1rem 0.5rem;
        border: 1px solid var(--sl-color-accent);
        border-radius: 999px;
        background: var(--sl-color-accent-low);
        color: var(--sl-color-accent-high);
        font: inherit;
        font-size: 0.8rem;
        font-weight: 600;
        line-height: 1.4;
        letter-spacing: normal;
        cursor: pointer;
        z-index: 2;
      }
      .frame .header .slipway-run:hover {
        background: var(--sl-color-text-accent);
        color: var(--sl-color-text-invert);
      }
      .frame .header .slipway-run:focus-visible {
        outline: 2px solid var(--sl-color-accent-high);
        outline-offset: 2px;
      }
      .frame .header .slipway-run[data-state='waiting'] {
        cursor: progress;
      }
      .frame .header .slipway-run svg {
        flex: none;
      }
    `,
  };
}
