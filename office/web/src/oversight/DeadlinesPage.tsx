// "Đôn đốc hạn xử lý": the open assignments past their due date (quá hạn) or due within the
// next days (sắp đến hạn), of the whole agency for leaders, of the department for a head.
import { useCallback } from 'react';
import { Card, Grid, Segmented, Typography } from 'antd';
import { listDeadlines, type DeadlineFilter, type DeadlineList } from '../api';
import { DUE_SOON_TEXT, OVERDUE_TEXT } from '../i18n';
import DeadlineTable from './DeadlineTable';
import { FailureAlert, ReloadButton, useLoad } from '../common';

interface Props {
  filter: DeadlineFilter;
  canOpen: boolean;
  onFilter: (filter: DeadlineFilter) => void;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-deadlines-title';

const FILTERS: { value: DeadlineFilter; label: string }[] = [
  { value: 'overdue', label: OVERDUE_TEXT },
  { value: 'due_soon', label: DUE_SOON_TEXT },
];

const NO_DEADLINES: DeadlineList = { items: [], due_soon_days: 0, whole_agency: false };

export default function DeadlinesPage({ filter, canOpen, onFilter, onSessionLost }: Props) {
  const narrow = !Grid.useBreakpoint().md;
  const load = useCallback(() => listDeadlines(filter), [filter]);
  const { data: list, failure: error, reload } = useLoad(load, onSessionLost, NO_DEADLINES, true);

  const scope = list === null ? '' : list.whole_agency ? 'Toàn cơ quan' : 'Phòng ban của tôi';
  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
        Đôn đốc hạn xử lý
      </Typography.Title>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Segmented<DeadlineFilter>
            aria-label="Lọc theo hạn xử lý"
            options={FILTERS}
            value={filter}
            onChange={onFilter}
            block={narrow}
          />
          <ReloadButton onClick={reload} />
        </div>
        {list !== null && error === null && (
          <Typography.Paragraph type="secondary">
            {scope}.{' '}
            {filter === 'due_soon'
              ? `Văn bản đến hạn trong ${list.due_soon_days} ngày tới (tính cả hôm nay).`
              : 'Văn bản chưa hoàn thành đã qua hạn xử lý.'}
          </Typography.Paragraph>
        )}
        <FailureAlert failure={error} />
        <DeadlineTable
          items={list?.items ?? null}
          labelledBy={TITLE_ID}
          canOpen={canOpen}
          emptyText={
            filter === 'overdue' ? 'Không có văn bản quá hạn' : 'Không có văn bản sắp đến hạn'
          }
        />
      </Card>
    </div>
  );
}
