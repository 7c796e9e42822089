import { StrictMode, useMemo, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../app/App.js';
import { FIXTURE_NOW, previewFixtures } from '../fixtures.js';
import { createPreviewApi } from './preview-api.js';
import '../styles/index.css';
import './preview.css';

const params = new URLSearchParams(location.search);
const SETTINGS_FIXTURES = new Set(['settings', 'missing-device']);

/** The Parley window rendered from fixture snapshots, for design work and screenshots. Not the app. */
function Preview(): ReactElement {
  const [fixtureId, setFixtureId] = useState(params.get('fixture') ?? previewFixtures[0]!.id);
  const fixture = previewFixtures.find((f) => f.id === fixtureId) ?? previewFixtures[0]!;
  const fake = useMemo(() => createPreviewApi(fixture.snapshot), [fixture]);
  const view = params.get('view') === 'settings' || SETTINGS_FIXTURES.has(fixture.id) ? 'settings' : 'main';
  return (
    <>
      <div className="preview-bar">
        <span className="preview-tag">Preview</span>
        <label htmlFor="preview-fixture">Fixture</label>
        <select id="preview-fixture" value={fixture.id} onChange={(event) => setFixtureId(event.target.value)}>
          {previewFixtures.map((f) => (
            <option key={f.id} value={f.id}>
              {f.title}
            </option>
          ))}
        </select>
        <span className="preview-note">Fixture data, not connected to Parley.</span>
      </div>
      <App key={fixture.id} api={fake.api} initialView={view} now={() => FIXTURE_NOW} titlePrefix="Preview: " />
    </>
  );
}

const container = document.getElementById('root');
if (container === null) throw new Error('preview.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <Preview />
  </StrictMode>,
);
