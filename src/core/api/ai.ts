// Handlers of the AI assistant routes. Chat is read-only (its tools never write), so every signed-in user may chat;
// choosing where cluster data is sent (provider, URL, key) is an admin's call when accounts are on.
import type { Caller, Handlers } from '../../shared/route';
import type { INTEGRATION_ROUTES } from '../../shared/routes/integrations';
import { chat, configureProvider, providersView, testProvider } from '../ai/assistant';
import type { ApiDeps } from './deps';
import { ApiError } from './errors';

type H = Handlers<Pick<typeof INTEGRATION_ROUTES, 'ai.chat' | 'ai.providers' | 'ai.configure' | 'ai.test'>, ApiDeps>;

function mustConfigure(deps: ApiDeps, caller: Caller): void {
  if (deps.accounts && (caller as Caller & { role?: string }).role !== 'admin') {
    throw new ApiError(
      'forbidden',
      'only an admin can configure the AI provider (it decides where cluster data is sent)',
      403,
    );
  }
}

export const AI_HANDLERS: H = {
  'ai.chat': async (p, deps, caller) => chat(deps, p, caller),
  'ai.providers': async (_p, deps) => providersView(deps),
  // Testing sends the key to the endpoint given: the same call as choosing where cluster data goes.
  'ai.test': async (p, deps, caller) => {
    mustConfigure(deps, caller);
    return testProvider(deps, p);
  },
  'ai.configure': async (p, deps, caller) => {
    mustConfigure(deps, caller);
    return configureProvider(deps, p);
  },
};
