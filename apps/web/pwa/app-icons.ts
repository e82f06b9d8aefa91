import { Resvg } from '@resvg/resvg-js';
import type { Plugin } from 'vite';

/**
 * The portal's app icons (web app manifest, home screen, favicon), drawn here as SVG and rendered to PNG
 * at build time with resvg, so no binary artwork lives in the repository. An envelope on the portal's blue.
 */
const BLUE = '#0b3d91';

/** `safe`: the share of the square the envelope may use (a maskable icon keeps it inside the central 80 % circle). */
function iconSvg(options: { rounded: boolean; safe: number }): string {
  const size = 512;
  const w = size * options.safe;
  const h = w * 0.68;
  const x = (size - w) / 2;
  const y = (size - h) / 2;
  const stroke = Math.round(size * 0.035);
  const radius = options.rounded ? size * 0.18 : 0;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}">`,
    `<rect width="${size}" height="${size}" rx="${radius}" fill="${BLUE}"/>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${stroke}" fill="#fff"/>`,
    `<path d="M${x + stroke} ${y + stroke} L${size / 2} ${y + h * 0.58} L${x + w - stroke} ${y + stroke}" fill="none" stroke="${BLUE}" stroke-width="${stroke}" stroke-linejoin="round" stroke-linecap="round"/>`,
    '</svg>',
  ].join('');
}

const png = (svg: string, width: number): Buffer =>
  new Resvg(svg, { fitTo: { mode: 'width', value: width } }).render().asPng();

/** Every icon file and the manifest entries that name them. */
export const APP_ICONS = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
  { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
] as const;

function render(): Record<string, Buffer | string> {
  const standard = iconSvg({ rounded: true, safe: 0.72 });
  // Full bleed: the platform cuts its own shape out of a maskable icon.
  const maskable = iconSvg({ rounded: false, safe: 0.56 });
  return {
    'icons/icon.svg': standard,
    'icons/icon-192.png': png(standard, 192),
    'icons/icon-512.png': png(standard, 512),
    'icons/maskable-192.png': png(maskable, 192),
    'icons/maskable-512.png': png(maskable, 512),
    // iOS ignores the manifest's icons and rounds the corners itself.
    'icons/apple-touch-icon.png': png(iconSvg({ rounded: false, safe: 0.66 }), 180),
  };
}

/** Emits the icons into the build (before vite-plugin-pwa lists the files to precache). */
export function appIcons(): Plugin {
  return {
    name: 'portal-app-icons',
    apply: 'build',
    generateBundle() {
      for (const [fileName, source] of Object.entries(render())) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}
