// Hash routing: the few pages need no router library, and a hash survives a
// reload without the server knowing the app's paths.
import { useCallback, useEffect, useState } from 'react';
import type { DeadlineFilter, IncomingFilter, TaskFilter } from './api';

export type Route =
  | { page: 'home' }
  | { page: 'incoming'; filter: IncomingFilter; q: string }
  | { page: 'incoming-detail'; id: number }
  | { page: 'incoming-paper' }
  | { page: 'tasks'; filter: TaskFilter }
  | { page: 'task-detail'; id: number }
  | { page: 'deadlines'; filter: DeadlineFilter }
  | { page: 'progress'; department: number | 'none' | null }
  | { page: 'delegations' }
  | { page: 'users' }
  | { page: 'catalogues'; tab: CatalogueTab }
  | { page: 'not-found' };

/** The tabs of the catalogue page (danh mục), in the order shown; the first is the default. */
export const CATALOGUE_TABS = [
  'document-types',
  'registers',
  'urgency-levels',
  'secrecy-levels',
  'fields',
  'departments',
] as const;
export type CatalogueTab = (typeof CATALOGUE_TABS)[number];

function parseCatalogues(parts: string[], search: string): Route {
  if (parts.length !== 1) return { page: 'not-found' };
  const tab = new URLSearchParams(search).get('tab') ?? CATALOGUE_TABS[0];
  const known = (CATALOGUE_TABS as readonly string[]).includes(tab);
  return { page: 'catalogues', tab: known ? (tab as CatalogueTab) : CATALOGUE_TABS[0] };
}

const FILTERS: ReadonlySet<string> = new Set(['new', 'registered', 'returned', 'recall', 'all']);

function parseTasks(parts: string[], search: string): Route {
  if (parts.length === 1) {
    const state = new URLSearchParams(search).get('state');
    return { page: 'tasks', filter: state === 'done' ? 'done' : 'open' };
  }
  if (parts.length === 2 && /^\d+$/.test(parts[1])) {
    return { page: 'task-detail', id: Number(parts[1]) };
  }
  return { page: 'not-found' };
}

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'tasks') return parseTasks(parts, search);
  if (parts.length === 1 && parts[0] === 'deadlines') {
    const state = new URLSearchParams(search).get('state');
    return { page: 'deadlines', filter: state === 'due_soon' ? 'due_soon' : 'overdue' };
  }
  if (parts.length === 1 && parts[0] === 'progress') {
    const department = new URLSearchParams(search).get('department');
    return {
      page: 'progress',
      department:
        department === 'none'
          ? 'none'
          : department !== null && /^\d+$/.test(department)
            ? Number(department)
            : null,
    };
  }
  if (parts.length === 1 && parts[0] === 'delegations') return { page: 'delegations' };
  if (parts[0] === 'users') return parts.length === 1 ? { page: 'users' } : { page: 'not-found' };
  if (parts[0] === 'catalogues') return parseCatalogues(parts, search);
  if (parts[0] !== 'incoming') return { page: 'not-found' };
  if (parts.length === 1) {
    const query = new URLSearchParams(search);
    const state = query.get('state') ?? 'new';
    return {
      page: 'incoming',
      filter: (FILTERS.has(state) ? state : 'new') as IncomingFilter,
      q: query.get('q') ?? '',
    };
  }
  if (parts.length === 2 && /^\d+$/.test(parts[1])) {
    return { page: 'incoming-detail', id: Number(parts[1]) };
  }
  if (parts.length === 2 && parts[1] === 'paper') return { page: 'incoming-paper' };
  return { page: 'not-found' };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'not-found':
      return '#/';
    case 'incoming': {
      const query = new URLSearchParams();
      if (route.filter !== 'new') query.set('state', route.filter);
      if (route.q !== '') query.set('q', route.q);
      const search = query.toString();
      return search === '' ? '#/incoming' : `#/incoming?${search}`;
    }
    case 'incoming-detail':
      return `#/incoming/${route.id}`;
    case 'incoming-paper':
      return '#/incoming/paper';
    case 'tasks':
      return route.filter === 'open' ? '#/tasks' : `#/tasks?state=${route.filter}`;
    case 'task-detail':
      return `#/tasks/${route.id}`;
    case 'deadlines':
      return route.filter === 'overdue' ? '#/deadlines' : `#/deadlines?state=${route.filter}`;
    case 'progress':
      return route.department === null
        ? '#/progress'
        : `#/progress?department=${route.department}`;
    case 'delegations':
      return '#/delegations';
    case 'users':
      return '#/users';
    case 'catalogues':
      return route.tab === CATALOGUE_TABS[0] ? '#/catalogues' : `#/catalogues?tab=${route.tab}`;
  }
}

/** The current route and a way to go to another (a new history entry). */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseHash(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const go = useCallback((next: Route) => {
    window.location.hash = routeHash(next);
  }, []);
  return [route, go];
}
