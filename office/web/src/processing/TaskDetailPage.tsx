// One of the caller's tasks: the incoming document as the incoming list shows
// it, read through the task (its attachments too), and the main handler's steps.
import { getTask, taskAttachmentUrl } from '../api';
import DocumentFrame, { useDocument } from '../incoming/DocumentFrame';
import DocumentView from '../incoming/DocumentView';
import AssignmentCard from './AssignmentCard';
import TaskActions from './TaskActions';

interface Props {
  id: number;
  /** The signed-in user: only the main handler starts and finishes the work. */
  username: string;
  onBack: () => void;
  onSessionLost: () => void;
}

export default function TaskDetailPage({ id, username, onBack, onSessionLost }: Props) {
  const { load, setDocument, reload } = useDocument(getTask, id, onSessionLost);

  return (
    <DocumentFrame
      title="Văn bản được giao xử lý"
      load={load}
      onBack={onBack}
      onRetry={reload}
      actions={(task) =>
        task.assignment.main_handler.username === username && (
          <TaskActions
            documentId={task.id}
            state={task.assignment.state}
            onChanged={(assignment) => {
              setDocument({ ...task, assignment });
              // The answer is the assignment alone; the status owed (05, 06) comes with a reload.
              reload();
            }}
            onStale={reload}
            onSessionLost={onSessionLost}
          />
        )
      }
    >
      {(task) => (
        <DocumentView
          document={task}
          urlOf={taskAttachmentUrl}
          processing={<AssignmentCard assignment={task.assignment} />}
        />
      )}
    </DocumentFrame>
  );
}
