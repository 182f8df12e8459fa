// The app bar's way back to the flows list, the same on every screen.
import { useTranslation } from 'react-i18next';
import { Icon } from './icons';

export function BackToFlows() {
  const { t } = useTranslation('common');
  return (
    <a className="btn btn-ghost" href="#/" data-testid="back">
      <Icon name="back" /> {t('nav.allFlows')}
    </a>
  );
}
