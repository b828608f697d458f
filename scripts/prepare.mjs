// `npm ci` / `npm install` in a checkout build the bin once. npm runs `prepare` twice there: for the
// project itself and for its link to itself (the devDependency "dreambench": "file:.", which puts
// the bin in node_modules/.bin so that `npx dreambench` runs the checkout instead of installing a
// copy of it into npm's cache). The link's run is skipped; any other install of the folder builds.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

const asDependency = process.env.npm_package_resolved !== undefined;
const real = (path) => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};
const ownLink = asDependency && real(process.cwd()) === real(process.env.INIT_CWD ?? '');
if (!ownLink) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
