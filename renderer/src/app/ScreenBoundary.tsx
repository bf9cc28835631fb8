import { Component, type ReactNode } from 'react';

/** A screen that throws shows its error in place; the navigation and the other screens keep working. */
export class ScreenBoundary extends Component<{ readonly children: ReactNode; readonly render: (error: Error) => ReactNode }, { readonly error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    return this.state.error === null ? this.props.children : this.props.render(this.state.error);
  }
}
